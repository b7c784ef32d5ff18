/* OpenAI chronology embed loader, served at /embed.js. The embed builder's snippet is
     <iframe src="https://HOST/embed/?…&amp;v=1" title="…" width="100%" height="…" loading="lazy" frameborder="0"
             data-timeline-embed></iframe>
     <script src="https://HOST/embed.js" async></script>
   The iframe works on its own (fixed height, its height reserved by the server's estimate, so the page
   does not shift while it loads). This script adds, for every widget iframe of HOST on the page:
   - auto-sizing to the widget's content, without moving what the reader is looking at: the frame is
     resized at once when the change is out of sight, otherwise as soon as it is;
   - paging inside the widget scrolls the page so that the widget's top is in view;
   - focus=<item> (and "Show more", which opens at the first new item) scrolls the page to that item.
   Older snippets still work: <script src=… data-timeline="person=sam-altman" async></script>, or
   <div data-timeline="…"></div> plus the script, become such an iframe (data-title: its accessible
   name, data-height: its height in px until the widget reports one). No cookies, no third-party code. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !window.URL) return;
  var widget = new URL("embed/", script.src); // our origin and path, whatever host serves this file
  // Several snippets on one page each bring this script: the first one of an origin does the work, the
  // others only pick up the widgets added since.
  var loaders = window.timelineEmbedLoaders = window.timelineEmbedLoaders || {};
  if (loaders[widget.href]) return loaders[widget.href](script);
  var frames = window.timelineEmbedFrames = window.timelineEmbedFrames || [];
  // Browsers with scroll anchoring keep the reader's place themselves when content above them grows.
  var anchoring = window.CSS && CSS.supports && CSS.supports("overflow-anchor", "auto");

  function isWidget(src) {
    try {
      var url = new URL(src, document.baseURI);
      return url.origin === widget.origin && url.pathname === widget.pathname;
    } catch (error) {
      return false;
    }
  }

  function mount(host) {
    var params = new URLSearchParams(host.getAttribute("data-timeline") || "");
    var src = new URL(widget.href);
    src.search = params.toString();
    var frame = document.createElement("iframe");
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
    // Inserting it has moved the page already, and 480 px is a guess: size it at once, always.
    frame.timelineEager = true;
    host.setAttribute("data-timeline-mounted", "");
    if (host.tagName === "SCRIPT") {
      host.parentNode.insertBefore(frame, host.nextSibling);
    } else {
      host.textContent = ""; // drop the no-JavaScript fallback (a link, say)
      host.appendChild(frame);
    }
    frames.push(frame);
  }

  function mountAll(current) {
    var mine = current && current.tagName === "SCRIPT" ? current : script;
    var hosts = document.querySelectorAll("[data-timeline]:not([data-timeline-mounted])");
    for (var i = 0; i < hosts.length; i++) {
      // Another <script data-timeline> mounts itself (it may come from another host).
      if (hosts[i].tagName === "SCRIPT" && hosts[i] !== mine) continue;
      mount(hosts[i]);
    }
    // The snippet's iframe opts in; a plain iframe (without the attribute) stays a fixed-height frame.
    var iframes = document.querySelectorAll("iframe[data-timeline-embed]");
    for (var j = 0; j < iframes.length; j++) {
      if (frames.indexOf(iframes[j]) < 0 && isWidget(iframes[j].src)) frames.push(iframes[j]);
    }
  }

  function viewportHeight() {
    return window.innerHeight || document.documentElement.clientHeight;
  }

  // Resizing the frame moves whatever follows it. That is only seen (a layout shift) when the frame's
  // bottom edge is inside the viewport with content after it; otherwise it happens at once (above the
  // viewport the scroll position follows, so nothing visible moves). Until then the widget scrolls
  // inside its reserved height.
  function resize(frame) {
    if (frame.timelineHold) return false; // its growth waits for a scroll to be drawn first
    var height = frame.timelineHeight;
    var box = frame.getBoundingClientRect();
    if (!height || Math.abs(box.height - height) < 1) {
      frame.timelineNow = false;
      return true;
    }
    // Nothing after the frame (it ends the page): growing or shrinking it moves nothing.
    var after = document.documentElement.scrollHeight - (box.bottom + window.scrollY);
    var seen = box.bottom > 0 && box.bottom < viewportHeight() && after > 24;
    if (seen && !frame.timelineNow && !frame.timelineEager) return false;
    frame.timelineNow = false;
    var above = box.bottom <= 0;
    frame.style.height = height + "px";
    if (above && !anchoring) window.scrollBy(0, height - box.height);
    return true;
  }

  function resizeWaiting() {
    for (var i = 0; i < frames.length; i++) resize(frames[i]);
  }

  function bringTopIntoView(frame) {
    var top = frame.getBoundingClientRect().top;
    if (top < 0 || top > viewportHeight() / 2) window.scrollTo(0, Math.max(0, top + window.scrollY - 8));
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== widget.origin || !data || data.type !== "timeline:height") return;
    if (!frames.some(function (frame) { return frame.contentWindow === event.source; })) mountAll(); // added since
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (event.source !== frame.contentWindow) continue;
      var height = Math.ceil(Number(data.height));
      if (height > 0 && height < 100000) frame.timelineHeight = height;
      // The reader opened a card's sources: grow (or shrink) with it now, as the page's own content would.
      if (data.input) frame.timelineNow = true;
      if (data.top && typeof data.focus !== "number") {
        // The reader paged inside the widget: bring its top into view (then size it as usual). After
        // "Show more" (which focuses the first new item) the scroll to that item below is the one.
        bringTopIntoView(frame);
      }
      if (typeof data.focus === "number") {
        // Sent once per widget page: a deep link, or the first new item after "Show more". Growing the
        // frame while its bottom edge is on screen would push the page below it (a layout shift: a
        // click inside the frame is no input for this page). So first scroll so that the frame's
        // bottom edge is at the viewport's bottom, let that be drawn, then grow (below the viewport),
        // let that be drawn, and scroll to the item.
        var box = frame.getBoundingClientRect();
        var below = viewportHeight() - box.bottom;
        if (below > 0 && box.bottom > 0 && frame.timelineHeight > box.height) {
          window.scrollBy(0, -Math.min(below, window.scrollY));
          frame.timelineHold = true;
          var focus = data.focus;
          var done = function (target) {
            return function () {
              requestAnimationFrame(function () {
                target.timelineHold = false;
                target.timelineNow = true;
                resize(target);
                // Once the growth is drawn (the browser counts a move together with a scroll as a shift).
                requestAnimationFrame(function () {
                  requestAnimationFrame(function () {
                    window.scrollTo(0, target.getBoundingClientRect().top + window.scrollY + focus);
                  });
                });
              });
            };
          };
          requestAnimationFrame(done(frame));
        } else {
          frame.timelineNow = true;
          resize(frame);
          window.scrollTo(0, frame.getBoundingClientRect().top + window.scrollY + data.focus);
        }
      } else {
        resize(frame);
      }
      return;
    }
  });

  loaders[widget.href] = mountAll;
  window.addEventListener("scroll", resizeWaiting, { passive: true });
  window.addEventListener("resize", resizeWaiting);
  mountAll();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
})();
