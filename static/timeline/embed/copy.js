/* Copy buttons of the embed builder (progressive enhancement: without JavaScript the code stays
   selectable in its textarea and the buttons stay hidden). htmx re-runs this file when it swaps the
   results in, so the click handler is registered once and the buttons are revealed every time. */
(function () {
  "use strict";

  function reveal() {
    var buttons = document.querySelectorAll("button[data-copy][hidden]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  function copied(button, ok) {
    var status = button.closest(".embed-body").querySelector(".embed-status");
    if (status) status.textContent = status.getAttribute(ok ? "data-copied" : "data-failed");
  }

  reveal();
  if (window.timelineCopyReady) return;
  window.timelineCopyReady = true;
  document.addEventListener("htmx:load", reveal);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { copied(button, true); },
        function () { copied(button, false); }
      );
    } else {
      copied(button, document.execCommand && document.execCommand("copy"));
    }
  });
})();
