/* Inside the widget iframe: report the content height to the embedding page, bring the focused item
   into view, and after paging inside the widget ask the page to bring the widget's top into view. The
   widget works without it (plain HTML); this only adds auto-sizing, focus and "stay at the widget".

   Message to the parent: {type: "timeline:height", id: <the iframe's name>, height: <CSS px>,
   fixed: <true for a height= widget>, focus: <px from the top of the widget to the focused item>,
   top: <true after paging inside the widget>, input: <true when the reader opened or closed a card's
   sources>} (focus and top on the first message only). Nothing in it
   is secret, so it is posted to any origin; the loader (embed.js) checks that it comes from our origin
   and from one of its own iframes. */
(function () {
  "use strict";
  var root = document.documentElement;
  var focus = document.querySelector("[data-focus]");
  var fixed = Number(root.getAttribute("data-height")) || 0;
  var list = document.querySelector(".tl-list");
  var framed = window.parent !== window;
  var last = -1;
  var first = true;
  // Paged (or otherwise navigated) inside the frame: the previous document was this widget.
  var paged = false;
  try {
    paged = !!document.referrer && new URL(document.referrer).origin === location.origin &&
      new URL(document.referrer).pathname === location.pathname;
  } catch (error) { paged = false; }

  function offsetOf(element) {
    return Math.max(0, Math.round(element.getBoundingClientRect().top + window.scrollY) - 8);
  }

  // input: the reader opened or closed a card's sources, and the page should follow at once. It is
  // sent with that report only (never left pending for a later, unrelated one), and sent even when an
  // earlier report (the ResizeObserver's, which may come before the toggle event) already gave the new
  // height: the loader may have held that one back while the frame's bottom edge was on screen.
  function report(input) {
    var height = fixed || Math.ceil(root.getBoundingClientRect().height);
    if (height === last && !first && !(input === true && !fixed)) return;
    last = height;
    var message = { type: "timeline:height", id: window.name, height: height };
    if (fixed) message.fixed = true;
    if (input === true && !fixed) message.input = true;
    if (first) {
      // A fixed-height widget scrolls its own list to the item; an auto-sized one asks the page to.
      // (Not for a widget of that one item, an oEmbed of an item page: there is nothing to scroll to.)
      if (focus && !fixed && document.querySelectorAll(".tl-item").length > 1) message.focus = offsetOf(focus);
      if (paged) message.top = true;
      first = false;
    }
    window.parent.postMessage(message, "*");
  }

  if (focus) {
    // Hash navigation is unreliable in iframes, so the server marks the item and we scroll here.
    // scrollIntoView is avoided on purpose: it would also scroll the embedding page, unasked, wherever
    // the widget is. Focus is not moved either: a widget must not take the keyboard from the page.
    if (fixed && list) {
      list.scrollTop = Math.max(0, focus.offsetTop - 8);
    } else {
      window.scrollTo(0, offsetOf(focus));
    }
  }
  if (paged && !focus) {
    // Keyboard and screen-reader users continue at the start of the new page of items.
    var heading = document.querySelector(".tl-item a");
    if (heading && document.hasFocus()) heading.focus({ preventScroll: true });
  }
  if (framed) {
    document.addEventListener("toggle", function () { report(true); }, true);
    report();
    if ("ResizeObserver" in window) {
      new ResizeObserver(function () { report(); }).observe(root);
    } else {
      window.addEventListener("resize", function () { report(); });
    }
  }
})();
