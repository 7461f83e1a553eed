"""The built site as a reader's browser sees it: its pages, a local server, and Chromium.

Why these choices:

* Pages are found in the built site (every ``index.html``) and their language is read from
  ``<html lang>``, so a new page or a new language is tested without editing any test.
* The site is served by a throwaway ``http.server`` on 127.0.0.1, port 0 (any free port), under
  the path of ``site_url``: Material fetches ``<path>/sitemap.xml``, so a site served at another
  path would show a 404 that the deployed site does not have.
* Chromium is Debian's ``/usr/bin/chromium`` launched by Playwright's bundled driver: nothing is
  downloaded (never ``playwright install``). Its own background traffic is switched off and every
  host name but the local one resolves to nothing, so each request a test sees comes from the
  page, and a page that asks a third party for something fails fast instead of hanging.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CNNGUIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
INSTALL = "apt-get install -y chromium chromium-driver fonts-noto-cjk"
# prefers-color-scheme -> the Material scheme that mkdocs.yml's palette pairs with it
SCHEMES = {"light": "default", "dark": "slate"}
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# What a screenshot holds: the first screen of each page, or with CNNGUIDE_SCREENSHOTS=full the
# whole page. A full page of a long case study (30,000 px) takes 1-2 s to capture, about a
# fifth of the browser tests' time, and no check reads it: it is for a person to look at.
FULL_PAGE_SCREENSHOTS = os.environ.get("CNNGUIDE_SCREENSHOTS", "").lower() == "full"
VENDOR = Path(__file__).parent / "vendor"


def missing(what: str) -> None:
    """Skip on a developer's machine without a browser; fail in CI (CI=true), which must have one."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI must run the browser tests: .ci/run installs them)", pytrace=False)
    pytest.skip(f"{what}; to run the browser tests: {INSTALL} && pip install -e '.[test]'")


def site_url(config: Path = ROOT / "mkdocs.yml") -> str | None:
    """``site_url`` as MkDocs reads it: YAML with its ``!ENV`` tag resolved (mkdocs.yml takes it
    from ``CNNGUIDE_SITE_URL``, which the Pages workflow sets)."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    value = yaml.load(config.read_text(encoding="utf-8"), Loader=get_yaml_loader()).get("site_url")
    return str(value) if value else None


def site_prefix(config: Path = ROOT / "mkdocs.yml") -> str:
    """The path part of ``site_url`` ("/" when it has none), always ending in "/"."""
    url = site_url(config)
    path = urlsplit(url).path if url else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


@dataclass(frozen=True)
class Page:
    """A built page: its path below the site root ("", "lenet5/", "en/lenet5/") and language."""

    path: str
    lang: str

    @property
    def name(self) -> str:
        return "/" + self.path

    @property
    def slug(self) -> str:
        """A file name for the page, language first: "ko-index", "en-lenet5"."""
        parts = [p for p in self.path.strip("/").split("/") if p and p != self.lang]
        return "-".join([self.lang, *parts] if parts else [self.lang, "index"])


def discover(site: Path) -> list[Page]:
    """Every page of the built site, with the language its ``<html lang>`` declares."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        head = index.read_text(encoding="utf-8")[:2000]
        lang = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", head)
        path = index.parent.relative_to(site).as_posix()
        pages.append(Page("" if path == "." else path + "/", lang.group(1) if lang else "?"))
    return pages


def counterpart(page: Page, lang: str, default: str) -> str:
    """The path of ``page`` in ``lang``: the default language at the root, others under /<lang>/."""
    bare = page.path.removeprefix(f"{page.lang}/") if page.lang != default else page.path
    return bare if lang == default else f"{lang}/{bare}"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        bare = urlsplit(path).path
        if not bare.startswith(self.prefix):  # outside site_url's path: not part of the site
            return os.path.join(self.directory, "__outside_site_url__", "missing")  # a 404
        return super().translate_path("/" + bare[len(self.prefix):])

    def log_message(self, *args) -> None:  # the tests report what matters
        pass


@contextmanager
def serve(site: Path, prefix: str = "/"):
    """Serve ``site`` at http://127.0.0.1:<free port><prefix>; yield that base URL."""
    handler = functools.partial(type("Handler", (_Quiet,), {"prefix": prefix}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1"


@dataclass
class Traffic:
    """What one page did: every request, console errors and uncaught exceptions."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def visit(browser, url: str, scheme: str = "light"):
    """Open ``url`` in a fresh context (no stored palette or tab choice) and wait until the
    network is idle (the search index, the sitemaps); yield the Playwright page and its traffic."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    traffic = Traffic()
    context.on("request", lambda request: traffic.requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(30_000)

    def console(message) -> None:
        if message.type == "error":
            traffic.errors.append(f"console error: {message.text} [{message.location.get('url', '')}]")

    page.on("console", console)
    page.on("pageerror", lambda error: traffic.errors.append(f"uncaught exception: {error}"))
    try:
        page.goto(url, wait_until="networkidle")
        yield page, traffic
    finally:
        context.close()


# axe-core's serious and critical violations, with what a report needs; "code" tells a node in a
# code block from one in prose, so a known issue about code colours cannot hide prose failing.
AXE_RUN = """async ([impacts, rules]) => {
  const options = {resultTypes: ['violations']};
  if (rules) options.runOnly = {type: 'rule', values: rules};
  const result = await axe.run(document, options);
  return result.violations.filter(v => impacts.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.map(n => {
      const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
      return {target: n.target.join(' '), code: !!(el && el.closest('.highlight')),
              message: (n.any[0] || n.all[0] || n.none[0] || {}).message || ''};
    }),
  }));
}"""
AXE_IMPACTS = ["serious", "critical"]
# The rules whose verdict depends on colours. The other scheme shows the same page in other
# colours only (the same DOM, names, roles and structure): it is checked against these alone.
AXE_COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # as axe runs them by default (AA)

# Bring each table into view as a reader would: open the <details> around it and select the tab
# it sits in (a table in an unselected tab has no size, by design), then measure it before the
# next. Returns every table's size, in one call (one round trip, not one per table).
REVEAL_AND_MEASURE = """() => [...document.querySelectorAll('.md-content table')].map(table => {
  for (let el = table; el; el = el.parentElement) {
    if (el.tagName === 'DETAILS') el.open = true;
    if (el.classList.contains('tabbed-block')) {
      const i = [...el.parentElement.children].indexOf(el);
      el.closest('.tabbed-set').querySelectorAll(':scope > input')[i].click();
    }
  }
  const box = table.getBoundingClientRect();
  return [box.width, box.height];
})"""


# Each chart drawn per colour scheme (cnnguide.render.charts): which copy shows, and its size.
MEASURE_CHARTS = """() => [...document.querySelectorAll('.cnnguide-charts')].map(figure =>
  [...figure.querySelectorAll('.cnnguide-chart')].filter(c => c.checkVisibility()).map(c => {
    const box = c.querySelector('svg').getBoundingClientRect();
    return [c.classList.contains('cnnguide-chart--dark') ? 'dark' : 'light', box.width, box.height];
  }))"""


# Every formula (cnnguide.render.mathml): its size, and whether each superscript is drawn above
# its base, which only a browser that lays out MathML does (as plain text they share a line).
MEASURE_MATH = """() => [...document.querySelectorAll('.md-content math')].filter(m => m.checkVisibility()).map(m => {
  const box = m.getBoundingClientRect();
  const raised = [...m.querySelectorAll('msup')].every(s =>
    s.children[1].getBoundingClientRect().bottom < s.children[0].getBoundingClientRect().bottom);
  return [box.width, box.height, raised, m.getAttribute('alttext')];
})"""


# Tab labels that name a framework: clicking one must select it in every set that has it.
FRAMEWORK_TABS = ("PyTorch", "TensorFlow")

TAB_SETS = """() => [...document.querySelectorAll('.tabbed-set')].map(set => {
  const inputs = [...set.querySelectorAll(':scope > input')];
  const label = input => set.querySelector(`:scope > .tabbed-labels > label[for="${input.id}"]`);
  const blocks = [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')];
  return {
    labels: inputs.map(input => (label(input)?.textContent || '').trim()),
    checked: inputs.findIndex(input => input.checked),
    shown: set.checkVisibility(),  // false inside a closed <details> or an unselected tab
    closed: !!set.closest('details:not([open])'),
    visible: blocks.map(block => block.getClientRects().length > 0),
  };
})"""


def click_framework_tabs(page) -> dict[str, list[dict]]:
    """Click each framework's tab label (one a reader can see), as a reader would; after each
    click, every tab set that has that label (TAB_SETS). Empty when the page has none."""
    if not any(label in FRAMEWORK_TABS for s in page.evaluate(TAB_SETS) for label in s["labels"]):
        return {}
    after = {}
    for name in FRAMEWORK_TABS:  # PyTorch first: the default tab is TensorFlow
        label = re.compile(rf"^\s*{re.escape(name)}\s*$")
        page.locator(".tabbed-labels > label").filter(has_text=label).filter(visible=True).first.click()
        after[name] = [s for s in page.evaluate(TAB_SETS) if name in s["labels"]]
    return after


def switch_language(page, langs) -> dict[str, str]:
    """Choose each other language in the header's menu (it opens on hover, as for a reader);
    the path each choice leads to."""
    reached = {}
    for i, lang in enumerate(langs):
        if i:
            page.go_back(wait_until="domcontentloaded")
        page.hover(".md-header .md-select")
        # Where the click leads is known once the navigation commits: the other page need not
        # load as well.
        with page.expect_navigation(wait_until="commit"):
            page.click(f'.md-header .md-select__link[hreflang="{lang}"]')
        reached[lang] = urlsplit(page.url).path
    return reached


@dataclass
class Inspection:
    """One page in one colour scheme, as loaded: everything the page-wide checks look at."""

    traffic: Traffic
    scheme: str | None                 # the Material scheme the page shows
    violations: list[dict]             # axe-core, serious and critical only
    tables: list[tuple[float, float]]  # width, height of each table once revealed
    screenshot: Path
    tabs: dict[str, list[dict]] = field(default_factory=dict)  # click_framework_tabs
    languages: dict[str, str] = field(default_factory=dict)    # switch_language
    charts: list[list] = field(default_factory=list)           # MEASURE_CHARTS
    math: list[list] = field(default_factory=list)             # MEASURE_MATH

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "screenshot": str(self.screenshot)})

    @classmethod
    def from_json(cls, text: str) -> "Inspection":
        data = json.loads(text)
        return cls(Traffic(**data["traffic"]), data["scheme"], data["violations"],
                   [tuple(t) for t in data["tables"]], Path(data["screenshot"]), data["tabs"],
                   data["languages"], data["charts"], data["math"])


def inspect_page(browser, url: str, scheme: str, screenshot: Path, other_langs=(), *,
                 everything: bool = True) -> Inspection:
    """Load ``url`` once in ``scheme`` and do, in this order, what every check needs of it: run
    axe on the untouched page (with ``everything=False``, its colour rules alone: the checks
    that do not depend on the colour scheme are made in one scheme only); take a screenshot
    (FULL_PAGE_SCREENSHOTS; JPEG: a PNG of a long page takes twice as long to encode); click the framework tabs; reveal and measure every table (which
    opens <details> and selects tabs); then leave through the language menu toward each of
    ``other_langs``. Tabs and languages only with ``everything``. One load per page and scheme:
    loading is most of the browser tests' time."""
    with visit(browser, url, scheme) as (page, traffic):
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        page.add_script_tag(path=str(VENDOR / "axe.min.js"))  # inlined: no request is made
        violations = page.evaluate(AXE_RUN, [AXE_IMPACTS, None if everything else AXE_COLOUR_RULES])
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=screenshot, full_page=FULL_PAGE_SCREENSHOTS, quality=85)
        tabs = click_framework_tabs(page) if everything else {}
        tables = [tuple(size) for size in page.evaluate(REVEAL_AND_MEASURE)]
        charts = page.evaluate(MEASURE_CHARTS)
        math = page.evaluate(MEASURE_MATH)
        # What this page did, before the language menu leads to another.
        seen = Traffic(list(traffic.requests), list(traffic.errors))
        languages = switch_language(page, other_langs) if everything else {}
    return Inspection(seen, shown, violations, tables, screenshot, tabs, languages, charts, math)
