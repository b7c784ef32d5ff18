// The change form's heartbeat (timeline.presence): tells the editor who else has this record open and
// when someone saved a newer version meanwhile. No lock; without JavaScript the version check alone
// still turns a stale save into the conflict page. Loaded in the head (admin Media), so it waits for
// the document.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var notice = document.getElementById("presence-notice");
  if (!notice || !window.fetch) return;
  var url = notice.getAttribute("data-presence-url");
  var version = parseInt(notice.getAttribute("data-version"), 10);
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var INTERVAL = 15000;

  function show(data) {
    var parts = [];
    if (data.others && data.others.length) {
      parts.push("Also editing now: " + data.others.join(", ") + ".");
    }
    if (data.version && data.version > version) {
      parts.push("A newer version was saved" + (data.saved_by ? " by " + data.saved_by : "") +
        " while you were editing. When you save, you will see both versions field by field; nothing is lost.");
    }
    notice.textContent = parts.join(" ");
    notice.hidden = parts.length === 0;
  }

  function beat(leave) {
    var body = new FormData();
    if (tokenInput) body.append("csrfmiddlewaretoken", tokenInput.value);
    if (leave) body.append("leave", "1");
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: !!leave })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && !leave) show(data); })
      .catch(function () { /* offline: try again on the next beat */ });
  }

  beat(false);
  window.setInterval(function () { beat(false); }, INTERVAL);
  // Coming back to the tab asks at once instead of waiting for the next beat.
  window.addEventListener("focus", function () { beat(false); });
  window.addEventListener("pagehide", function () { beat(true); });
});
