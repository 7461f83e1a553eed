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
}
if (typeof document$ !== "undefined") {
  document$.subscribe(focusableScrollRegions);
} else {
  document.addEventListener("DOMContentLoaded", focusableScrollRegions);
}
