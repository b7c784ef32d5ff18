/* Inside the widget iframe: report the content height to the embedding page and bring the focused
   item into view. The page works without it (plain HTML); this only adds auto-sizing and focus.

   Message to the parent: {type: "timeline:height", id: <the iframe's name>, height: <CSS px>,
   focus: <px from the top of the widget to the focused item, first message only>}. The height is not
   secret, so it is posted to any origin; the loader (embed.js) checks that it comes from our origin and
   from its own iframe. */
(function () {
  "use strict";
  var root = document.documentElement;
  var focus = document.querySelector("[data-focus]");
  var framed = window.parent !== window;
  var last = -1;
  var focusSent = false;

  function offsetOf(element) {
    return Math.max(0, Math.round(element.getBoundingClientRect().top + window.scrollY) - 8);
  }

  function report() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last && (focusSent || !focus)) return;
    last = height;
    var message = { type: "timeline:height", id: window.name, height: height };
    if (focus && !focusSent) {
      message.focus = offsetOf(focus);
      focusSent = true;
    }
    window.parent.postMessage(message, "*");
  }

  if (focus) {
    // Hash navigation is unreliable in iframes, so the server marks the item and we scroll here. A
    // fixed-height frame scrolls inside itself; an auto-sized one has nothing to scroll, and the
    // loader scrolls the embedding page instead (from message.focus). scrollIntoView is avoided on
    // purpose: it would also scroll the embedding page, unasked, wherever the widget is.
    // Focus is not moved either: a widget must not take the keyboard away from the embedding page.
    window.scrollTo(0, offsetOf(focus));
  }
  if (framed) {
    report();
    if ("ResizeObserver" in window) {
      new ResizeObserver(report).observe(root);
    } else {
      window.addEventListener("resize", report);
    }
  }
})();
