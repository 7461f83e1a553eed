// Wide tables scroll sideways inside .md-typeset__scrollwrap: make each such region reachable
// with the keyboard (axe-core: scrollable-region-focusable). Material replaces the page content
// on instant navigation, so run on every page it shows.
function focusableScrollRegions() {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (region) {
    if (region.scrollWidth > region.clientWidth && !region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", document.documentElement.lang === "ko" ? "표" : "Table");
    }
  });
  // The full computational graphs scroll both ways inside a bounded box, and one in a tab that
  // is hidden now scrolls once it is shown: every such box is a keyboard-reachable region.
  document.querySelectorAll(".cnnguide-graph:not([tabindex])").forEach(function (region) {
    region.setAttribute("tabindex", "0");
    region.setAttribute("role", "region");
    region.setAttribute("aria-label", document.documentElement.lang === "ko" ? "전체 연산 그래프" : "Full computational graph");
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(focusableScrollRegions);
} else {
  document.addEventListener("DOMContentLoaded", focusableScrollRegions);
}

// Linked content tabs (Material's content.tabs.link) match tab sets by their labels' innerText,
// which is empty inside a closed <details>: the TensorFlow / PyTorch tabs of the folded full
// graphs kept TensorFlow when the reader had chosen PyTorch. Match those sets by textContent,
// which a closed <details> keeps: at load, from the choice Material stored, and on every click.
function selectInClosedDetails(choices) {
  // ``choices``: label texts, the preferred first (Material stores its choices in that order)
  document.querySelectorAll("details:not([open]) .tabbed-set").forEach(function (set) {
    var labels = Array.prototype.slice.call(set.querySelectorAll(".tabbed-labels > label"));
    for (var i = 0; i < choices.length; i++) {
      var label = labels.find(function (l) { return l.textContent.trim() === choices[i]; });
      if (label) {
        var input = document.getElementById(label.htmlFor);
        if (input) input.checked = true;
        return;
      }
    }
  });
}
function followStoredTab() {
  var stored = typeof __md_get === "function" ? __md_get("__tabs") : null;
  if (Array.isArray(stored)) selectInClosedDetails(stored);
}
document.addEventListener("click", function (event) {
  var label = event.target.closest && event.target.closest(".tabbed-labels > label");
  if (label && !label.closest("details:not([open])")) selectInClosedDetails([label.textContent.trim()]);
});
if (typeof document$ !== "undefined") {
  document$.subscribe(followStoredTab);
} else {
  document.addEventListener("DOMContentLoaded", followStoredTab);
}
