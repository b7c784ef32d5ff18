/* The chronology's enhancements, fetched once the page has loaded rather than with it.

   The first screen is shown and usable without JavaScript: the filters are a GET form, "Earlier"
   and "Later" and every mark on the axis are plain links. So htmx and chronology.js do not compete
   with the page for the network: they are requested after the load event, fetched together and run
   in the order given in this script's data-enhance attribute (htmx first: chronology.js configures
   it). Until they have run, the page works as it does without JavaScript; chronology.js marks the
   document "continuous" when it has set the page up. */
(function () {
  "use strict";
  var script = document.currentScript;
  var urls = ((script && script.getAttribute("data-enhance")) || "").split(" ").filter(Boolean);

  function enhance() {
    urls.forEach(function (url) {
      var element = document.createElement("script");
      element.src = url;
      element.async = false; // fetched at once, run in order
      document.head.appendChild(element);
    });
  }

  if (document.readyState === "complete") enhance();
  else window.addEventListener("load", enhance, { once: true });
})();
