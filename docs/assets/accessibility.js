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
