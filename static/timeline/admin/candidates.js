// Keyboard shortcuts on the admin's suggested-items page: j/k move, a accept, d dismiss, c cite.
// Progressive: every action is a plain form; this only focuses and submits them.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll(".candidate"));
  if (!cards.length) return;
  var current = 0;
  function show(index) {
    current = Math.max(0, Math.min(cards.length - 1, index));
    cards.forEach(function (card, i) { card.classList.toggle("is-current", i === current); });
    cards[current].focus();
    var passage = document.getElementById("p-" + cards[current].dataset.passage);
    if (passage) passage.scrollIntoView({block: "nearest"});
  }
  cards.forEach(function (card, i) { card.addEventListener("focus", function () { current = i; }); });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.ctrlKey || event.metaKey || event.altKey || tag === "input" || tag === "select" || tag === "textarea") return;
    var forms = {a: ".candidate-accept", d: ".candidate-dismiss", c: ".candidate-cite"};
    if (event.key === "j") { show(current + 1); event.preventDefault(); }
    else if (event.key === "k") { show(current - 1); event.preventDefault(); }
    else if (forms[event.key]) {
      var form = cards[current].querySelector(forms[event.key]);
      if (form) { form.querySelector("button").click(); event.preventDefault(); }
    }
  });
  show(0);
})();
