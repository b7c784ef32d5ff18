/* The chronology page, progressively enhanced (the page works without this file):
   - after htmx replaces the results: focus on the results heading, the document title and a live
     announcement of the count, the filter panel and facets kept as the reader left them;
   - continuous scrolling (htmx loads the next page as "Later" comes into view): pages far off
     screen are dropped again so the page stays small, and put back as the reader comes back to
     them; the address follows the page being read;
   - the time axis: drag or use the keyboard to select a range (sets from/to), click a mark to jump
     to its item, and a band that shows where the items on screen lie in time. */
(function () {
  "use strict";
  var KEEP_PAGES = 6; // pages of items kept in the document while scrolling on
  var wide = window.matchMedia("(min-width: 60rem)");
  var saved = null;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  // In a task once the frame showing the new results has been presented: when the Element Timing
  // entry of the new results heading (elementtiming="results") comes, else after LATE ms (a browser
  // without Element Timing, a heading off screen). Not in a task right after the next frame's
  // main-thread part: that task runs while the frame is still rastered and drawn, and on a machine
  // with few cores its work (laying out every item) delays the frame itself.
  var LATE = 250;

  function afterPresented(callback) {
    var done = false, watcher = null, timer = null;
    function run() {
      if (done) return;
      done = true;
      if (watcher) watcher.disconnect();
      clearTimeout(timer);
      setTimeout(callback);
    }
    var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (types && types.indexOf("element") >= 0) {
      watcher = new PerformanceObserver(function (list) {
        // Not a late entry of the heading the new results replaced (its element is then null).
        if (list.getEntries().some(function (entry) {
          return entry.identifier === "results" && entry.element && entry.element.isConnected;
        })) run();
      });
      watcher.observe({ type: "element" });
    }
    timer = setTimeout(run, LATE);
  }

  // -- the filter panel and facets ---------------------------------------------------------------

  function panelIsOverlay() {
    var panel = $("#filter-panel");
    return panel && panel.open && !wide.matches;
  }

  function openPanelOnWideScreens() {
    var panel = $("#filter-panel");
    if (panel && wide.matches) panel.open = true;
  }

  // Read as the request is sent: nothing here may force style or layout (window.scrollY does),
  // which would delay the request by the restyle the click's change just caused.
  function rememberState() {
    saved = {
      panel: panelIsOverlay(),
      // by name: the page put in place may show another set of facets (one with no values is left out)
      facets: $$(".facet").filter(function (facet) { return facet.open; }).map(paramOf),
    };
  }

  function restoreState() {
    openPanelOnWideScreens();
    if (!saved) return;
    var panel = $("#filter-panel");
    if (panel && saved.panel) panel.open = true;
    $$(".facet").forEach(function (facet) { if (saved.facets.indexOf(paramOf(facet)) >= 0) facet.open = true; });
  }

  // -- after an update ---------------------------------------------------------------------------

  // The title waits until the new results have been presented (setTitle, in arrived): the browser
  // redraws its own tab and history for it, work that would compete with that frame.
  function announce() {
    if (!$("#results")) return;
    var heading = $("#results-heading");
    var live = $("#announce");
    if (heading && live) live.textContent = heading.textContent.replace(/\s+/g, " ").trim();
    if (heading && !(saved && saved.panel)) heading.focus({ preventScroll: true });
  }

  function setTitle() {
    var results = $("#results");
    if (results && results.dataset.title && document.title !== results.dataset.title) document.title = results.dataset.title;
  }

  function targetOf(event) {
    var config = event.detail.requestConfig;
    return config && config.headers ? config.headers["HX-Target"] : null;
  }

  // The listing dims only when an answer takes a while (0.3 s). A timer rather than a delayed CSS
  // transition on htmx's request class: a pending transition makes the whole listing a compositor
  // layer at once, repainted in the frame after the click, before the (usually fast) answer is in.
  var slow = null, PENDING = 300; // ms

  function waiting(on) {
    clearTimeout(slow);
    var listing = $("#results .listing");
    if (listing) listing.classList.toggle("waiting", on);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (targetOf(event) !== "results") return;
    rememberState();
    clearTimeout(slow);
    slow = setTimeout(function () { waiting(true); }, PENDING);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (targetOf(event) !== "results") return;
    dropEntry(event); // not swapped in
    waiting(false); // after the swap, or after an error
    asked = null;
  });

  // Enter in a text field changes it and submits the form (in one task): both would ask for the
  // same results, the first request aborted by the second (hx-sync), so the submit is dropped while
  // the change's identical request is on its way. Checkbox changes are not compared (no cost there).
  var asked = null;

  function formQuery(form) { return new URLSearchParams(new FormData(form)).toString(); }

  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt, trigger = event.detail.triggeringEvent;
    if (!trigger || !form || form.id !== "filters") return;
    if (trigger.type === "change") {
      asked = trigger.target.type === "checkbox" ? null : formQuery(form);
    } else if (trigger.type === "submit" && asked !== null && asked === formQuery(form)) {
      event.preventDefault();
    }
  });

  // htmx cleans up every element it replaces (two events dispatched on each, ~1,000 elements here),
  // which is most of the time from a click to the new results. The items, the axis drawing, its
  // column links (followed by a listener below, not boosted) and its table, and the facet lists
  // hold no htmx state, so they leave in one step before htmx swaps (in
  // the same task: nothing is painted in between). In the phone's filter panel the facet holding the
  // focus stays, so that htmx puts the focus back on its new copy; elsewhere the focus goes to the
  // results heading after the update, so htmx need not restore it first.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (targetOf(event) !== "results" || !event.detail.shouldSwap) return;
    // An answer sent before Back or Forward: the page now shows (or is restoring) another address.
    if (event.detail.xhr.navigated !== undefined && event.detail.xhr.navigated !== navigated) {
      event.detail.shouldSwap = false;
      return;
    }
    var results = $("#results");
    if (!results) return;
    // The value under the focus keeps the reader's typing only in the phone's panel (which keeps
    // the focus); elsewhere the focus leaves #results. A value of the kept form keeps it until the
    // focus moves to the results heading (one focus change instead of two, each restyling the page).
    var active = document.activeElement, panel = !!(saved && saved.panel);
    var inPlace = keepForm(event, panel ? active : null);
    if (!panel && results.contains(active) && !(inPlace && $("#filters").contains(active))) active.blur();
    $$("#stream > :not(#later), #axis svg, .axis-ticks, .axis-table" + (inPlace ? "" : ", .facet"), results).forEach(function (el) {
      if (!el.contains(document.activeElement)) el.remove();
    });
  });

  function valueOf(input) { return input.id; }
  function paramOf(facet) { return facet.getAttribute("data-param"); }

  // A facet's values take the answer's ticks and counts where they are. A value the answer no longer
  // lists (none of the new results has it) stays where it is, shown with (0) and still tickable, so
  // that nothing above the pointer moves; values new in the answer join at the end of the list.
  function keepValues(fieldset, nextFieldset) {
    var list = $("ul", fieldset), nextItems = nextFieldset ? $$("li", nextFieldset) : [], byId = {};
    nextItems.forEach(function (li) { byId[valueOf($("input", li))] = li; });
    $$("li", list).forEach(function (li) {
      var input = $("input", li), count = $(".count", li), next = byId[valueOf(input)];
      if (next) {
        var nextInput = $("input", next);
        if (input.checked !== nextInput.checked) input.checked = nextInput.checked;
        byId[valueOf(input)] = null;
      }
      var text = next ? $(".count", next).textContent : "(0)";
      if (count.textContent !== text) count.textContent = text;
      if (li.classList.contains("zero") === !!next) li.classList.toggle("zero", !next);
    });
    nextItems.forEach(function (li) { if (byId[valueOf($("input", li))]) list.appendChild(li); });
    var more = $(".more", fieldset), nextMore = nextFieldset && $(".more", nextFieldset);
    if (more) fieldset.removeChild(more);
    if (nextMore) fieldset.appendChild(nextMore);
  }

  // A change made in the filter form (a facet value, the dates, the search, a selection on the axis)
  // keeps the form in place: htmx swaps only the listing (the heading, the axis, the items), and the
  // form takes the new counts, ticks and values from the answer. Replacing the form's ~100 inputs
  // took most of the time from a click to the paint, and a value stays exactly under the pointer.
  // For links (active filters, axis ticks), all of #results is replaced.
  function keepForm(event, typing) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    var form = $("#filters"), listing = $("#listing"), results = $("#results");
    if (!form || !listing || !elt || !form.contains(elt)) return false;
    // Only the part before the listing is parsed here (the form's counts, ticks and labels); htmx
    // parses the listing itself once, from its own slice of the answer.
    var keep = firstScreenItems();
    var cut = splitListing(event.detail.serverResponse);
    var template = document.createElement("template");
    template.innerHTML = cut ? cut.head : event.detail.serverResponse;
    var next = $("#results", template.content);
    var nextForm = next && $("#filters", next), nextListing = cut ? null : next && $("#listing", next);
    if (!nextForm || !(cut || nextListing)) return false;
    // Each facet keeps its values (a facet the answer no longer shows keeps them all, with (0)); a
    // facet new in the answer takes its place after the one before it there.
    var nextFacets = $$(".facet", nextForm), byParam = {}, previous = null;
    nextFacets.forEach(function (facet) { byParam[paramOf(facet)] = facet; });
    $$(".facet", form).forEach(function (facet) {
      var nextFacet = byParam[paramOf(facet)];
      keepValues($("fieldset", facet), nextFacet ? $("fieldset", nextFacet) : null);
      byParam[paramOf(facet)] = null;
    });
    nextFacets.forEach(function (nextFacet) {
      if (byParam[paramOf(nextFacet)]) {
        var after = previous || $(".facets .check", form);
        after.parentNode.insertBefore(nextFacet, after.nextSibling);
      }
      previous = $('.facet[data-param="' + paramOf(nextFacet) + '"]', form);
    });
    // The fields: values as the server understood them (not under the reader's typing).
    ["#q", "#from", "#to"].forEach(function (selector) {
      var input = $(selector, form), nextInput = $(selector, nextForm);
      if (input && nextInput && input !== typing && input.value !== nextInput.value) input.value = nextInput.value;
    });
    var importance = $("#importance", form), nextImportance = $("#importance", nextForm);
    if (importance && nextImportance) importance.checked = nextImportance.checked;
    [".filter-toggle", ".facets .check .count", "#show-results"].forEach(function (selector) {
      var el = $(selector, form), nextEl = $(selector, nextForm);
      if (el && nextEl && el.textContent !== nextEl.textContent) el.textContent = nextEl.textContent;
    });
    // Before the form: the page heading (its years). The introduction a full page shows only
    // unfiltered stays as it is, so that nothing under the pointer moves.
    var heading = $("h1", results), nextHeading = $("h1", next);
    if (heading && nextHeading && heading.textContent !== nextHeading.textContent) heading.textContent = nextHeading.textContent;
    // The "Embed this view" link in the page header takes the answer's address (rather than htmx
    // swapping it out of band, a second fragment to parse, process and settle).
    var embed = $("[hx-swap-oob]", next);
    var link = $("#embed-link a"), nextLink = embed && $("a", embed);
    if (link && nextLink) {
      if (link.getAttribute("href") !== nextLink.getAttribute("href")) link.setAttribute("href", nextLink.getAttribute("href"));
      embed = null;
    }
    results.setAttribute("data-title", next.getAttribute("data-title"));
    // htmx swaps the listing as it would have swapped #results.
    event.detail.target = listing;
    event.detail.serverResponse = (cut ? holdBack(cut.listing, keep, event.detail.xhr) : nextListing.outerHTML) + (embed ? embed.outerHTML : "");
    return true;
  }

  // The results end with the listing, then "</div></form></div>" (source text is escaped, so neither
  // marker occurs inside); an answer of another shape is parsed whole.
  var LISTING = '<div class="listing" id="listing">', TAIL = "</div></form></div>";

  function splitListing(text) {
    var start = text.indexOf(LISTING);
    if (start < 0 || text.indexOf(LISTING, start + 1) >= 0 || text.slice(-6 - TAIL.length) !== "</div>" + TAIL) return null;
    return { head: text.slice(0, start), listing: text.slice(start, text.length - TAIL.length) };
  }

  // The items below the first screen wait until the new results have been presented: htmx parses
  // and inserts only the first ones (each item some 50 elements), the others are moved in from the
  // answer afterwards (mergeHeld, in arrived). The cut is made in the answer's text, before the
  // first item that cannot be on the first screen (an item is at least MIN_ITEM px tall), so what
  // htmx puts in is a prefix of the whole stream, its open elements closed by the stream's own end
  // tag. Not when the reader has scrolled into the listing (the items in view may be any of them).
  var STREAM = '<div class="stream" id="stream"', ITEM = '<li id="item-', STREAM_END = '</div><p class="print-link">';
  var MIN_ITEM = 100; // px
  var held = null; // {xhr, html: the whole stream, stream: the element it went into}

  function firstScreenItems() {
    var stream = $("#stream");
    if (!stream) return 0;
    var top = stream.getBoundingClientRect().top;
    if (top < 0) return -1;
    return Math.max(2, Math.ceil((window.innerHeight - top) / MIN_ITEM) + 1);
  }

  function holdBack(listing, keep, xhr) {
    held = null;
    if (keep < 0) return listing;
    var start = listing.indexOf(STREAM), end = listing.lastIndexOf(STREAM_END), at = start;
    if (start < 0 || end < start) return listing;
    for (var i = 0; i <= keep; i++) {
      at = listing.indexOf(ITEM, at + 1);
      if (at < 0 || at > end) return listing;
    }
    held = { xhr: xhr, html: listing.slice(start, end + 6), stream: null };
    return listing.slice(0, at) + listing.slice(end);
  }

  // The stream in the document is a prefix of the whole one: each of its elements holds the first
  // children of its counterpart, the last of them possibly cut short. What follows is moved in.
  function mergeHeld() {
    var h = held, stream = $("#stream");
    held = null;
    if (!h || !stream || stream !== h.stream) return;
    var template = document.createElement("template");
    template.innerHTML = h.html;
    var added = [];
    (function merge(live, whole) {
      var n = live.childNodes.length, kids = whole.childNodes;
      if (n && live.lastChild.nodeType === 1 && kids[n - 1]) merge(live.lastChild, kids[n - 1]);
      while (kids.length > n) { added.push(kids[n]); live.appendChild(kids[n]); }
    })(stream, template.content.firstElementChild);
    if (window.htmx) added.forEach(function (node) { if (node.nodeType === 1) window.htmx.process(node); });
  }

  // New results are painted first where the reader looks: for one frame, items off screen are
  // neither styled nor laid out ("arriving": content-visibility: auto in timeline.css); they are
  // laid out once that frame has been presented, off the path from the click to the paint (as are
  // the title, the held items and the observers, whose first report would draw a second frame). Only
  // until then, so what stays (find in page, accessibility checkers, printing) always has every item laid out.
  // htmx "settles" the class attribute of every swapped-in element whose id the old content had
  // (#stream among them): it puts the old classes on for the swap and the new ones back when it
  // settles, which took "arriving" off again before the frame (and restyled each such element
  // twice). Nothing here animates between old and new attributes, so none are settled.
  if (window.htmx) window.htmx.config.attributesToSettle = [];
  var swapped = null;
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.xhr === swapped || targetOf(event) !== "results") return;
    swapped = event.detail.xhr;
    // In the swap's task: htmx fires afterRequest before afterSettle when the swap asks for a settle
    // delay (htmx.ajax's default 20 ms), and an answer not settled by then would lose its entry.
    settleAddress(event);
    var stream = $("#stream");
    if (stream) stream.classList.add("arriving");
    if (held && held.xhr === event.detail.xhr) held.stream = stream;
  });

  function arrived() {
    var stream = $("#stream.arriving");
    afterPresented(function () {
      mergeHeld();
      setTitle();
      if (stream) stream.classList.remove("arriving");
      observeItems();
    });
  }

  // The address and the history entry (htmx's own history is off). The current entry is marked as
  // htmx's at load and after each restore; the new one is pushed in a task of its own right after
  // the request is sent, with the request's address in canonical form, so that Back at any moment
  // returns to the results on screen and a reload asks for the new address (pushing it only when the
  // answer came, or after PENDING ms, spared the 2-core benchmark machine ~10 ms of browser work during
  // the request, but Back in that window went one entry too far and a reload lost the change).
  // Replaced on the swap only if HX-Push-Url differs. A second
  // change before the answer replaces that entry; an answer not swapped in takes it back; one sent
  // before Back or Forward is not swapped in. htmx restores the entries on Back and Forward (from
  // the server: the results are not snapshotted, hx-history="false").
  // enhance.js runs htmx before this script: a results request htmx sent in between was not seen by
  // the beforeSend listener below, so htmx's own history keeps its address (pushed as it is swapped
  // in), and is turned off once no such request is left.
  if (window.htmx) {
    if (document.querySelector(".htmx-request")) {
      document.addEventListener("htmx:afterRequest", function historyOff() {
        if (document.querySelector(".htmx-request")) return;
        window.htmx.config.historyEnabled = false;
        document.removeEventListener("htmx:afterRequest", historyOff);
      });
    } else {
      window.htmx.config.historyEnabled = false;
    }
  }

  // The server's canonical order of the parameters (filters.PARAMS).
  var ORDER = ["q", "kind", "era", "person", "org", "speaker", "tag", "source", "from", "to", "importance", "lang", "page", "sort"];
  var sent = null; // the results request on its way: {xhr, address, entry, navigated, replaces, pushed, created}
  var navigated = 0; // Back and Forward so far
  var entries = Date.now(); // entry ids, unique across reloads

  function markEntry() {
    if (!(history.state && history.state.htmx)) history.replaceState({ htmx: true }, "", location.href);
  }

  function here() { return location.pathname + location.search; }

  function canonical(path) {
    var url = new URL(path, location.href);
    var pairs = [];
    url.searchParams.forEach(function (value, key) { if (value.trim() !== "") pairs.push([key, value]); });
    var rank = function (key) { var i = ORDER.indexOf(key); return i < 0 ? ORDER.length : i; };
    pairs = pairs.map(function (pair, i) { return [pair, i]; }).sort(function (a, b) {
      return rank(a[0][0]) - rank(b[0][0]) || a[1] - b[1];
    }).map(function (pair) { return pair[0]; });
    var query = new URLSearchParams(pairs).toString();
    return url.pathname + (query ? "?" + query : "");
  }

  function pushEntry(request) {
    if (!sent || sent !== request || sent.pushed) return;
    clearTimeout(sent.timer);
    sent.pushed = true;
    if (sent.address === here() || sent.navigated !== navigated) return;
    sent.created = true;
    var state = { htmx: true, entry: sent.entry };
    if (sent.replaces) {
      history.replaceState(state, "", sent.address);
    } else {
      markEntry(); // an entry made by an in-page link (#main) has no state yet
      history.pushState(state, "", sent.address);
    }
  }

  document.addEventListener("htmx:beforeSend", function (event) {
    if (targetOf(event) !== "results") return;
    var xhr = event.detail.xhr, path = event.detail.pathInfo && event.detail.pathInfo.finalRequestPath;
    xhr.navigated = navigated;
    if (!path) return;
    // The entry of an earlier change whose results never came is this change's to replace.
    var replaces = !!(sent && sent.created && sent.navigated === navigated && history.state &&
      history.state.entry === sent.entry);
    if (sent && !sent.pushed && sent.navigated === navigated && sent.replaces) replaces = true;
    if (sent) clearTimeout(sent.timer);
    sent = { xhr: xhr, address: canonical(path), entry: ++entries, navigated: navigated, replaces: replaces };
    sent.timer = setTimeout(pushEntry, 0, sent);
  });

  window.addEventListener("popstate", function () { navigated++; });

  // Only the answer to the request on its way, and only if no Back or Forward came in between.
  function current(event) {
    return !!sent && sent.xhr === event.detail.xhr && sent.navigated === navigated;
  }

  function settleAddress(event) {
    if (!current(event)) return;
    pushEntry(sent); // should its task not have run yet
    var path = event.detail.xhr.getResponseHeader("HX-Push-Url");
    if (path && path !== "false" && path !== here()) {
      if (sent.created) {
        history.replaceState(history.state, "", path);
      } else {
        markEntry();
        history.pushState({ htmx: true, entry: sent.entry }, "", path);
      }
    }
    sent = null;
    followLanguages();
  }

  // The language links in the page header name the address on screen in the other language: after
  // an update they take its filters (the server wrote them for the address the page was loaded at).
  function followLanguages() {
    $$("nav.languages a[hreflang]").forEach(function (link) {
      var lang = new URL(link.href, location.href).searchParams.get("lang"), url = new URL(location.href);
      if (!lang) return;
      url.searchParams.set("lang", lang);
      var next = url.pathname + url.search;
      if (link.getAttribute("href") !== next) link.setAttribute("href", next);
    });
  }

  // Not swapped in (an error, aborted): the entry goes, unless a newer change or Back came first.
  function dropEntry(event) {
    if (!current(event)) return;
    var failed = sent;
    clearTimeout(failed.timer);
    setTimeout(function () {
      if (sent !== failed) return;
      sent = null;
      if (failed.created && failed.navigated === navigated && history.state && history.state.entry === failed.entry) history.back();
    });
  }

  // htmx fires afterSettle on every element it swapped in (the results and the out-of-band embed
  // link; each section of a page scrolled in): act once per answer, when all of them are in.
  var settled = null;
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.xhr === settled) return;
    settled = event.detail.xhr;
    var target = targetOf(event);
    if (target === "later") {
      rememberFragments();
      windowPages();
      observeItems();
    } else if (target === "results") {
      restoreState();
      rememberFragments();
      fillAbove();
      setUpAxis();
      announce(); // last: focusing brings style and layout up to date, after every other change
      arrived(); // and once this frame has been presented: the title, the items below, the observers
    }
  });

  // The axis's links (one per column, to zoom to it) are followed with htmx by this one listener,
  // as a boosted link would be (the same request, target and swap, inherited from #results), rather
  // than boosted one by one: htmx set up each boosted link (about 20 per axis) again after every
  // update and cleaned it up before the next (a small part of processing the new listing, whose
  // bulk, 1.5-5 ms, is htmx's scan of every element for hx-on attributes). A modified click (new
  // tab, window) is the browser's.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".axis-ticks a[href]");
    if (!link || !window.htmx || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    // A failed request is shown as any other (htmx's error events); its promise is not left rejected.
    var sent = window.htmx.ajax("GET", link.getAttribute("href"), { source: link });
    if (sent && sent.catch) sent.catch(function () {});
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".show-results");
    if (!button || !panelIsOverlay()) return;
    // The results are already up to date (each change updates them): close the panel, show them.
    event.preventDefault();
    $("#filter-panel").open = false;
    var heading = $("#results-heading");
    if (heading) { heading.scrollIntoView(); heading.focus({ preventScroll: true }); }
  });

  // -- continuous scrolling ----------------------------------------------------------------------

  function pageOf(element) { return parseInt(element.getAttribute("data-page"), 10); }

  // Pages dropped from the document give way to an empty block of their height ("spacer"), one above
  // the kept pages and one below, so nothing on screen moves. Each remembers its pages and their
  // heights (spacer.gone: [{page, height}], in reading order). As the reader comes within a screen
  // of one, its page next to the kept ones is asked for again (the fragment continuous scrolling
  // loads, with the same headers: a cached answer) and put back in its share of the
  // block, the items on screen kept where they are; pages then far off on the other side are dropped.
  var fragments = null; // the address of a page fragment (its page parameter set for each page)
  var restoring = null; // the spacer whose page is on its way

  function spacerOf(side) { return $("#stream > .spacer." + side); }

  function pagesShown() {
    var pages = [];
    $$("#stream > section[data-page]").forEach(function (section) {
      var page = pageOf(section);
      if (pages.indexOf(page) < 0) pages.push(page);
    });
    return pages;
  }

  // The elements of the given pages: their sections and the "Possibly" heading and note before them.
  function elementsOf(pages) {
    return $$("#stream > *").filter(function (el) {
      if (el.id === "later" || el.classList.contains("spacer") || el.classList.contains("earlier")) return false;
      var next = el;
      while (next && !next.hasAttribute("data-page")) next = next.nextElementSibling;
      return !!next && next.id !== "later" && pages.indexOf(pageOf(next)) >= 0;
    });
  }

  function topOf(el) { return el.getBoundingClientRect().top; }

  // Runs change() and scrolls by whatever it moved the anchor (an element on or next to the screen),
  // so the reader sees no jump (Chromium's own scroll anchoring may have done it already). At once:
  // not smoothly, as the page's scroll-behavior would have it (the anchor would move meanwhile).
  function keepPlace(anchor, change) {
    var before = anchor ? topOf(anchor) : 0;
    change();
    if (!anchor || !anchor.isConnected) return;
    var moved = topOf(anchor) - before;
    if (Math.abs(moved) < 1) return;
    // On the way to the top (Home): an instant scroll would end the browser's smooth one short of it.
    if (homing) window.scrollTo({ top: 0, behavior: "instant" });
    else window.scrollBy({ top: moved, behavior: "instant" });
  }

  // The reader pressed Home to go to the top of the document: until other input, a page put back
  // above on the way there takes the view to the top rather than keeping the place it passes by.
  var homing = false;
  document.addEventListener("keydown", function (event) {
    homing = event.key === "Home" && !event.defaultPrevented && !event.shiftKey && !event.altKey &&
      !(event.target.closest && event.target.closest("input, select, textarea, [contenteditable], #filters"));
  });
  ["wheel", "touchstart", "mousedown"].forEach(function (type) {
    window.addEventListener(type, function () { homing = false; }, { passive: true });
  });

  function firstOnScreen() {
    return $$("#stream > section[data-page], #stream > #later").filter(function (el) {
      return el.getBoundingClientRect().bottom > 0;
    })[0] || null;
  }

  function makeSpacer(side) {
    var stream = $("#stream"), spacer = document.createElement("div");
    spacer.className = "spacer " + side;
    spacer.gone = [];
    if (side === "above") {
      // For the keyboard and assistive technology: the page just above, put back in place.
      var p = document.createElement("p"), link = document.createElement("a"), arrow = document.createElement("span");
      p.className = "earlier";
      link.rel = "prev";
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = "↑ ";
      link.appendChild(arrow);
      link.appendChild(document.createTextNode(stream.getAttribute("data-earlier") || "Earlier"));
      // On the spacer: the link may be replaced by a copy (see restore).
      spacer.addEventListener("click", function (event) {
        if (!event.target.closest(".earlier a")) return;
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        restore(spacer, true);
      });
      p.appendChild(link);
      spacer.appendChild(p);
      stream.insertBefore(spacer, stream.firstChild);
    } else {
      stream.insertBefore(spacer, $("#later", stream));
    }
    return spacer;
  }

  function setHeight(spacer) {
    var total = spacer.gone.reduce(function (sum, entry) { return sum + entry.height; }, 0);
    spacer.style.height = total + "px";
    var link = $(".earlier a", spacer);
    if (link && spacer.gone.length) {
      var url = new URL(location.href);
      url.searchParams.set("page", String(spacer.gone[spacer.gone.length - 1].page));
      link.href = url.pathname + url.search;
    }
  }

  // Drops the pages beyond KEEP_PAGES on one side ("above" after reading down, "below" after up).
  function dropPages(side) {
    var pages = pagesShown();
    if (pages.length <= KEEP_PAGES) return;
    var drop = side === "above" ? pages.slice(0, pages.length - KEEP_PAGES) : pages.slice(KEEP_PAGES);
    var entries = drop.map(function (page) {
      var els = elementsOf([page]), last = els[els.length - 1], next = last.nextElementSibling;
      var end = next ? topOf(next) : last.getBoundingClientRect().bottom;
      return { page: page, els: els, height: end - topOf(els[0]) };
    });
    var spacer = spacerOf(side) || makeSpacer(side);
    keepPlace(firstOnScreen(), function () {
      entries.forEach(function (entry) { entry.els.forEach(function (el) { el.remove(); }); delete entry.els; });
      spacer.gone = side === "above" ? spacer.gone.concat(entries) : entries.concat(spacer.gone);
      setHeight(spacer);
    });
  }

  function windowPages() { dropPages("above"); }

  function fragmentAt(page) {
    var url = new URL(fragments, location.href);
    if (page > 1) url.searchParams.set("page", String(page)); else url.searchParams.delete("page"); // canonical
    return url.pathname + url.search;
  }

  // Puts back the page of the spacer next to the kept pages. focus: the reader asked for it with
  // the keyboard or a click, so the focus goes to its last item (the one before what was next).
  function restore(spacer, focus) {
    if (restoring || !fragments || !spacer.gone.length) return;
    restoring = spacer;
    var above = spacer.classList.contains("above");
    var entry = above ? spacer.gone[spacer.gone.length - 1] : spacer.gone[0];
    fetch(fragmentAt(entry.page), { headers: { "HX-Request": "true", "HX-Target": "later" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (text) {
        // Not if the results were replaced meanwhile, or the spacer's pages changed (read on below).
        if (!spacer.isConnected || spacer.gone.indexOf(entry) !== (above ? spacer.gone.length - 1 : 0)) return;
        var template = document.createElement("template");
        template.innerHTML = text;
        $$("#later", template.content).forEach(function (nav) { nav.remove(); });
        var added = $$("[data-page], .possible-heading, .possible-note", template.content).filter(function (el) {
          return el.parentNode === template.content;
        });
        var hadFocus = spacer.contains(document.activeElement);
        // Above: what follows stays where it is, the block shrinks by what came in; but once its top
        // is on screen (the reader went straight up to it: Home), what is above it stays, and the
        // block shrinks from its bottom, off screen (a page put back may differ from the height kept
        // for it: an estimate). Below: what precedes does not move anyway.
        var next = spacer.nextElementSibling, anchor = above ? next : spacer.previousElementSibling;
        if (above && spacer.getBoundingClientRect().top >= 0) anchor = null;
        keepPlace(anchor, function () {
          added.forEach(function (el) { spacer.parentNode.insertBefore(el, above ? next : spacer); });
          // The link at the spacer's bottom, on screen, would move up with it (a layout shift, though
          // the items stay): a copy takes its place (a new element is no shift), unless it has the focus.
          var link = above && $(".earlier", spacer);
          if (link && !link.contains(document.activeElement)) spacer.replaceChild(link.cloneNode(true), link);
          spacer.gone.splice(above ? spacer.gone.length - 1 : 0, 1);
          if (spacer.gone.length) setHeight(spacer); else spacer.remove();
        });
        if (window.htmx) added.forEach(function (el) { window.htmx.process(el); });
        var items = [];
        added.forEach(function (el) { items = items.concat($$(".item", el)); });
        if ((focus || (hadFocus && !spacer.isConnected)) && items.length) {
          var item = items[above ? items.length - 1 : 0], title = $("h4 a", item);
          if (title) title.focus({ preventScroll: true });
          // Asked for while off screen (the link kept the focus as the reader scrolled away): the
          // reader is taken to it, so that the pages dropped next are those far from it, not the
          // one just put back (the page on screen, dropped, would come back in its place).
          var box = item.getBoundingClientRect();
          if (focus && (box.bottom <= 0 || box.top >= window.innerHeight)) item.scrollIntoView({ block: "center", behavior: "instant" });
        }
        dropPages(above ? "below" : "above");
        observeItems();
      })
      .then(function () {
        restoring = null;
        nearSpacers(); // the next page, should the reader already be near it
      }, function () {
        restoring = null; // tried again as the reader scrolls on
      });
  }

  // Within a screen of a spacer's edge next to the kept pages: that page is put back.
  var checking = false;
  function nearSpacers() {
    var above = spacerOf("above"), below = spacerOf("below"), screen = window.innerHeight;
    if (above && above.getBoundingClientRect().bottom > -screen) restore(above);
    else if (below && below.getBoundingClientRect().top < 2 * screen) restore(below);
  }

  window.addEventListener("scroll", function () {
    if (checking || restoring || !(spacerOf("above") || spacerOf("below"))) return;
    checking = true;
    requestAnimationFrame(function () { checking = false; nearSpacers(); });
  }, { passive: true });

  // Any page's address will do (fragmentAt sets its page): the next one's, or on the last page of
  // several, the one before (the server's "Earlier" link, until fillAbove replaces it).
  function rememberFragments() {
    var later = $("#later[hx-get]"), earlier = $("#stream > .earlier a[href]");
    if (later) fragments = later.getAttribute("hx-get");
    else if (earlier) fragments = earlier.getAttribute("href");
  }

  // The height a page of items is likely to take: the pages shown, per item, times the items a page holds.
  function pageEstimate() {
    var stream = $("#stream"), els = elementsOf(pagesShown()), items = $$("#stream > section[data-page] .item").length;
    if (!els.length || !items) return 0;
    var last = els[els.length - 1], next = last.nextElementSibling;
    var height = (next ? topOf(next) : last.getBoundingClientRect().bottom) - topOf(els[0]);
    return Math.round(height / items * (parseInt(stream.getAttribute("data-per-page"), 10) || items));
  }

  // A page opened at page N > 1 (a reload or Back onto an address written while scrolling, a shared
  // link) holds page N only: pages 1…N−1 get a spacer above it, as if they had been read and dropped,
  // each of the height a page is likely to take (corrected as each comes back, the items on screen
  // kept where they are). The server's "Earlier" link, which would replace the list with the page
  // before, gives way to the spacer's, which puts that page back in place (in its place in the
  // stream: the stream's own top does not move, a layout shift of the whole screen).
  function fillAbove() {
    var first = $("#stream > section[data-page]");
    if (!first || !fragments || spacerOf("above") || pageOf(first) <= 1) return;
    var estimate = pageEstimate(), server = $("#stream > .earlier");
    window.scrollTo({ top: window.scrollY, behavior: "instant" });
    keepPlace(firstOnScreen(), function () {
      if (server) server.remove();
      var spacer = makeSpacer("above");
      for (var page = 1; page < pageOf(first); page++) spacer.gone.push({ page: page, height: estimate });
      setHeight(spacer);
    });
    nearSpacers();
  }

  // -- the time axis -----------------------------------------------------------------------------

  function parseDay(text) {
    var parts = text.split("-").map(Number);
    return Date.UTC(parts[0], (parts[1] || 1) - 1, parts[2] || 1);
  }

  function Axis(figure) {
    this.figure = figure;
    this.plot = $(".axis-plot", figure);
    this.handle = $(".axis-handle", figure);
    this.handle.hidden = false; // keyboard selection needs this script
    this.zoom = figure.dataset.zoom;
    this.origin = new Date(parseDay(figure.dataset.origin));
    this.size = parseInt(figure.dataset.columns, 10);
    this.box = $(".axis-selection", figure);
    this.seen = $("rect.seen", figure);
    this.ticks = $$(".axis-ticks a", figure);
    this.width = parseFloat($("svg", figure).viewBox.baseVal.width);
    this.start = 0;
    this.end = 0;
  }

  Axis.prototype.columnStart = function (index) {
    var o = this.origin;
    if (this.zoom === "year") return new Date(Date.UTC(o.getUTCFullYear() + index, 0, 1));
    if (this.zoom === "month") return new Date(Date.UTC(o.getUTCFullYear(), o.getUTCMonth() + index, 1));
    return new Date(o.getTime() + index * 86400000);
  };

  Axis.prototype.edtf = function (index) {
    var iso = this.columnStart(index).toISOString().slice(0, 10);
    return this.zoom === "year" ? iso.slice(0, 4) : this.zoom === "month" ? iso.slice(0, 7) : iso;
  };

  // A column's name in the page's language, as the server wrote it on its tick.
  Axis.prototype.label = function (index) {
    var tick = this.ticks[index];
    return tick ? tick.getAttribute("data-label") : this.edtf(index);
  };

  // Position of a day in column units (fractional), for the band of visible items.
  Axis.prototype.position = function (time) {
    var lo = 0, hi = this.size;
    if (time <= this.columnStart(0).getTime()) return 0;
    if (time >= this.columnStart(this.size).getTime()) return this.size;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (this.columnStart(mid).getTime() <= time) lo = mid; else hi = mid;
    }
    var a = this.columnStart(lo).getTime(), b = this.columnStart(lo + 1).getTime();
    return lo + (time - a) / (b - a);
  };

  Axis.prototype.columnAt = function (clientX) {
    var rect = this.plot.getBoundingClientRect();
    var index = Math.floor((clientX - rect.left) / rect.width * this.size);
    return Math.max(0, Math.min(this.size - 1, index));
  };

  Axis.prototype.show = function () {
    var a = Math.min(this.start, this.end), b = Math.max(this.start, this.end);
    this.box.hidden = false;
    this.box.style.left = (a / this.size * 100) + "%";
    this.box.style.width = ((b - a + 1) / this.size * 100) + "%";
    var text = a === b ? this.label(a) : this.figure.dataset.range.replace("{first}", this.label(a)).replace("{last}", this.label(b));
    this.handle.setAttribute("aria-valuenow", String(a));
    this.handle.setAttribute("aria-valuetext", text);
    this.box.textContent = text;
  };

  Axis.prototype.apply = function () {
    var a = Math.min(this.start, this.end), b = Math.max(this.start, this.end);
    var form = $("#filters");
    $("#from").value = this.edtf(a);
    $("#to").value = this.edtf(b);
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  };

  Axis.prototype.bind = function () {
    // A press on a key moment's mark is a click on its link unless the pointer then moves: from a
    // mark, as anywhere on the plot, a drag selects a range (and the link is not followed).
    var axis = this, dragging = false, downX = 0, onMark = false, moved = false, dragged = false;
    function begin(event) {
      axis.plot.setPointerCapture(event.pointerId);
      axis.show();
    }
    this.plot.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      dragging = true;
      moved = false;
      onMark = !!event.target.closest("a");
      downX = event.clientX;
      axis.start = axis.end = axis.columnAt(event.clientX);
      if (onMark) return; // the link keeps its press (focus, :active) until the pointer moves
      begin(event);
      event.preventDefault();
    });
    this.plot.addEventListener("pointermove", function (event) {
      if (!dragging) return;
      if (!moved && Math.abs(event.clientX - downX) < 4) return;
      if (!moved && onMark) begin(event);
      moved = true;
      axis.end = axis.columnAt(event.clientX);
      axis.show();
    });
    this.plot.addEventListener("pointerup", function (event) {
      if (!dragging) return;
      dragging = false;
      if (onMark && !moved) return; // a click on the mark: its link is followed
      // The click that follows this pointerup in the same task is not a mark's (reset after it).
      dragged = true;
      setTimeout(function () { dragged = false; });
      axis.end = axis.columnAt(event.clientX);
      if (!moved) axis.end = axis.start; // a click: that one column
      axis.apply();
    });
    // The browser's own dragging of a link would take the pointer; a drag that began on a mark and
    // ends over a mark is a selection, not a click on it.
    this.plot.addEventListener("dragstart", function (event) { event.preventDefault(); });
    this.plot.addEventListener("click", function (event) {
      if (dragged && event.target.closest("a")) event.preventDefault();
    }, true);
    this.handle.addEventListener("keydown", function (event) {
      var step = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1 }[event.key];
      if (step) {
        if (event.shiftKey) {
          axis.end = Math.max(axis.start, Math.min(axis.size - 1, axis.end + step));
        } else {
          var length = axis.end - axis.start;
          axis.start = Math.max(0, Math.min(axis.size - 1 - length, axis.start + step));
          axis.end = axis.start + length;
        }
      } else if (event.key === "Home") {
        axis.end -= axis.start; axis.start = 0;
      } else if (event.key === "End") {
        axis.start = axis.size - 1 - (axis.end - axis.start); axis.end = axis.size - 1;
      } else if (event.key === "Enter") {
        event.preventDefault();
        axis.apply();
        return;
      } else if (event.key === "Escape") {
        axis.box.hidden = true;
        return;
      } else {
        return;
      }
      event.preventDefault();
      axis.show();
    });
    this.handle.addEventListener("focus", function () { axis.show(); });
    this.handle.addEventListener("blur", function () { axis.box.hidden = true; });
    this.figure.addEventListener("click", function (event) {
      // A mark, or its wider tap target under the marks (data-hit).
      var link = event.target.closest("a[data-item], a[data-hit]");
      if (!link) return;
      var item = document.getElementById("item-" + (link.getAttribute("data-item") || link.getAttribute("data-hit")));
      if (!item) return; // not on this page: the link opens the item's own page
      event.preventDefault();
      item.scrollIntoView({ block: "center", behavior: "instant" });
      var title = $("h4 a", item);
      if (title) title.focus({ preventScroll: true });
    });
    // The marks are one stop in the tab order (the first has tabindex 0): the arrow keys, Home and End
    // move between them, in date order; Enter follows the focused one.
    this.figure.addEventListener("keydown", function (event) {
      var link = event.target.closest && event.target.closest("a[data-item]");
      if (!link) return;
      var marks = $$("a[data-item]", axis.figure);
      var at = marks.indexOf(link);
      var to = {ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0,
                End: marks.length - 1}[event.key];
      if (to === undefined) return;
      event.preventDefault();
      var next = marks[Math.max(0, Math.min(marks.length - 1, to))];
      link.setAttribute("tabindex", "-1");
      next.setAttribute("tabindex", "0");
      next.focus();
    });
  };

  var axis = null;

  function setUpAxis() {
    var figure = $("#axis");
    axis = figure ? new Axis(figure) : null;
    if (!axis) return;
    axis.bind();
    stickAxis();
  }

  // The sticky axis' height, for the sticky headings under it. Measured by a ResizeObserver (after
  // layout, in the same frame) rather than read right after a swap, which would force a layout.
  var sized = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    var figure = entries[entries.length - 1].target;
    var height = figure.classList.contains("sticky") ? figure.getBoundingClientRect().height : 0;
    setAxisHeight(height + "px");
  }) : null;

  // On the root, not on #results: htmx copies a swapped element's style attribute, which the CSP
  // forbids. Only when it changes: a custom property set on the root restyles the whole document,
  // and a new axis after a filter change is almost always as tall as the old one (a second style
  // and layout pass in the frame that paints the results).
  function setAxisHeight(value) {
    var root = document.documentElement.style;
    if (root.getPropertyValue("--axis-h") !== value) root.setProperty("--axis-h", value);
  }

  function stickAxis() {
    if (!axis) return;
    var sticky = wide.matches && window.innerHeight >= 640;
    axis.figure.classList.toggle("sticky", sticky);
    if (!sized) return;
    sized.disconnect();
    if (sticky) sized.observe(axis.figure);
    else setAxisHeight("0px");
  }

  // -- where the visible items are ---------------------------------------------------------------

  var visible = new Set();
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) visible.add(entry.target); else visible.delete(entry.target);
    });
    drawSeen();
    followPage();
  }, { rootMargin: "-20% 0px 0px 0px" }) : null; // the top fifth is under the sticky axis and headings

  function observeItems() {
    if (!observer) return;
    observer.disconnect();
    visible.clear();
    $$("#stream .item").forEach(function (item) { observer.observe(item); });
  }

  function itemRange(item) {
    var time = $("time", item);
    if (!time) return null;
    var text = time.getAttribute("datetime");
    var start = parseDay(text);
    // An interval (2005/2024-05) says its last day; datetime holds its start at its precision.
    var last = time.getAttribute("data-end");
    if (last) return [start, parseDay(last) + 86400000];
    var parts = text.split("-");
    var end = parts.length === 1 ? Date.UTC(+parts[0] + 1, 0, 1) : parts.length === 2 ?
      Date.UTC(+parts[0], +parts[1], 1) : start + 86400000;
    return [start, end];
  }

  function drawSeen() {
    if (!axis || !axis.seen) return;
    var lo = Infinity, hi = -Infinity;
    visible.forEach(function (item) {
      var range = itemRange(item);
      if (!range) return;
      lo = Math.min(lo, range[0]);
      hi = Math.max(hi, range[1] - 1);
    });
    if (lo === Infinity) { setSeen(null, "0"); return; }
    var unit = axis.width / axis.size;
    var a = axis.position(lo), b = Math.max(axis.position(hi), a + 0.3);
    setSeen(String(a * unit), String((b - a) * unit));
  }

  // Only what changed: a set attribute, even to its value, restyles the axis and repaints the page
  // (the observer also reports items whose visibility did not change, e.g. while an answer is on its way).
  function setSeen(x, width) {
    if (x !== null && axis.seen.getAttribute("x") !== x) axis.seen.setAttribute("x", x);
    if (axis.seen.getAttribute("width") !== width) axis.seen.setAttribute("width", width);
  }

  // The address names the page being read, so a reload or a shared link comes back to it.
  function followPage() {
    if (sent) return; // the address already names the results on their way
    var top = null;
    visible.forEach(function (item) {
      if (!top || item.getBoundingClientRect().top < top.getBoundingClientRect().top) top = item;
    });
    if (!top) return;
    var section = top.closest("[data-page]");
    if (!section) return;
    var url = new URL(location.href);
    var page = pageOf(section);
    if ((url.searchParams.get("page") || "1") === String(page)) return;
    if (page > 1) url.searchParams.set("page", String(page)); else url.searchParams.delete("page");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }

  // Back and Forward: htmx puts the whole page of that address in place of the body's content.
  document.addEventListener("htmx:historyCacheMiss", rememberState);
  document.addEventListener("htmx:historyRestore", function () {
    markEntry();
    restoreState();
    rememberFragments();
    fillAbove();
    setUpAxis();
    observeItems();
  });

  function start() {
    document.documentElement.classList.add("continuous");
    markEntry();
    openPanelOnWideScreens();
    rememberFragments();
    fillAbove();
    setUpAxis();
    observeItems();
    wide.addEventListener("change", function () { openPanelOnWideScreens(); stickAxis(); });
    window.addEventListener("resize", stickAxis);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
