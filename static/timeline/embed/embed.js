/* OpenAI chronology embed loader, served at /embed.js. Paste either
     <script src="https://HOST/embed.js" data-timeline="person=sam-altman&amp;era=crisis" async></script>
   or <div data-timeline="person=sam-altman"></div> plus the script (once), as often as you like on a
   page. Each becomes a lazily loaded iframe of HOST/embed/?<data-timeline> that takes the height of its
   content. Optional attributes: data-title (the iframe's accessible name), data-height (px before the
   widget reports its height; default 480). No cookies, no third-party code. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !window.URL) return;
  var widget = new URL("embed/", script.src); // our origin and path, whatever host serves this file
  var frames = [];

  function mount(host) {
    var params = new URLSearchParams(host.getAttribute("data-timeline") || "");
    var src = new URL(widget.href);
    src.search = params.toString();
    var frame = document.createElement("iframe");
    // Unique on the page even with several copies of this script; the widget sends it back as message.id.
    window.timelineEmbedCount = (window.timelineEmbedCount || 0) + 1;
    frame.name = "timeline-embed-" + window.timelineEmbedCount;
    frame.src = src.href;
    frame.title = host.getAttribute("data-title") || "OpenAI chronology";
    // A deep link (focus=…) must load even below the fold, or there is nothing to scroll to.
    frame.setAttribute("loading", params.has("focus") ? "eager" : "lazy");
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = (parseInt(host.getAttribute("data-height"), 10) || 480) + "px";
    host.setAttribute("data-timeline-mounted", "");
    if (host === script) {
      host.parentNode.insertBefore(frame, host.nextSibling);
    } else {
      host.textContent = ""; // drop the no-JavaScript fallback (a link, say)
      host.appendChild(frame);
    }
    frames.push(frame);
  }

  function mountAll() {
    var hosts = document.querySelectorAll("[data-timeline]:not([data-timeline-mounted])");
    for (var i = 0; i < hosts.length; i++) {
      // Another <script data-timeline> mounts itself (it may come from another host).
      if (hosts[i].tagName === "SCRIPT" && hosts[i] !== script) continue;
      mount(hosts[i]);
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== widget.origin || !data || data.type !== "timeline:height") return;
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.name !== data.id || event.source !== frame.contentWindow) continue;
      var height = Math.ceil(Number(data.height));
      if (height > 0 && height < 100000) frame.style.height = height + "px";
      if (typeof data.focus === "number" && !frame.hasAttribute("data-focused")) {
        frame.setAttribute("data-focused", "");
        window.scrollTo(0, frame.getBoundingClientRect().top + window.scrollY + data.focus);
      }
    }
  });

  mountAll();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
})();
