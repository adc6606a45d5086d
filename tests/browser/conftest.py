"""Fixtures for the browser tests: a local server for the built book, one Chromium per session,
and one cached visit per page (each page is loaded once; every test reads from that visit).

Offline by construction: every request that does not go to the local server is intercepted.
require.js and the Jupyter widgets HTML manager are answered from tests/browser/vendor/
(`bash tools/fetch_vendor_js.sh tests/browser/vendor`); everything else is aborted and recorded.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import mimetypes
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import book_site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
LOAD_TIMEOUT_MS = 30_000
WIDGET_TIMEOUT_MS = 20_000
SETTLE_MS = 300

WIDGET_VIEW_SELECTOR = 'script[type="application/vnd.jupyter.widget-view+json"]'
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    # color-contrast is on by default in axe-core; say so explicitly so that it stays on.
    "rules": {"color-contrast": {"enabled": True}},
}


# --------------------------------------------------------------------------- preconditions


@pytest.fixture(scope="session")
def html_root() -> Path:
    root = book_site.book_html()
    if not (root / "index.html").is_file() and not any(root.glob("*.html")):
        pytest.exit(
            f"FAILED: no built book in {root} (BOOK_HTML): run `make book`, or build a copy with "
            "`jupyter-book build . --builder html --path-output DIR` and set BOOK_HTML=DIR/_build/html",
            returncode=1,
        )
    return root


@pytest.fixture(scope="session")
def vendor_dir() -> Path:
    missing = [str(path) for _, path in book_site.vendored_scripts() if not path.exists()]
    if missing:
        pytest.exit(
            "FAILED: local copies of the CDN scripts are missing (" + ", ".join(missing) + "): run "
            "`bash tools/fetch_vendor_js.sh tests/browser/vendor` (needs npm), or `make test`",
            returncode=1,
        )
    return book_site.VENDOR


# --------------------------------------------------------------------------- local server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def base_url(html_root):
    handler = functools.partial(_QuietHandler, directory=str(html_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        # Stop the whole session with one message and a failing exit status (never a skip).
        pytest.exit(
            f"FAILED: the browser tests need Chromium at {CHROMIUM}: install Debian's `chromium` "
            "package (apt-get install chromium)",
            returncode=1,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


# --------------------------------------------------------------------------- one visit per page


@dataclass
class Visit:
    """Everything one page load tells the tests."""

    url: str
    color_scheme: str = "light"
    status: int | None = None
    page_errors: list[str] = field(default_factory=list)      # uncaught JS exceptions
    console_errors: list[str] = field(default_factory=list)   # console.error, minus blocked externals
    local_failures: list[str] = field(default_factory=list)   # local requests that failed or 4xx/5xx
    blocked: list[str] = field(default_factory=list)          # external requests aborted (allowed)
    vendored: list[str] = field(default_factory=list)         # external requests answered locally
    vendor_missing: list[str] = field(default_factory=list)   # vendored URL with no local file
    sri_problems: list[str] = field(default_factory=list)     # integrity= that the local copy fails
    dom: dict = field(default_factory=dict)                    # see COLLECT_JS
    widget_wait: str = ""                                      # "", "rendered" or a timeout message
    axe_violations: list[dict] = field(default_factory=list)
    # Set once the page has been inspected: later events come from axe-core itself (its CSSOM
    # preload re-fetches @import-ed sheets relative to the page and gets 404s) and are kept apart.
    inspected: bool = False
    after_inspection: list[str] = field(default_factory=list)

    @property
    def js_errors(self) -> list[str]:
        return [f"uncaught exception: {e}" for e in self.page_errors] + [
            f"console error: {e}" for e in self.console_errors
        ]


# Collected in one evaluate() after the page (and its widgets) have rendered.
COLLECT_JS = r"""
() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const main = document.querySelector('#main-content') || article;
  const visible = (el) => {
    if (!el.isConnected) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                    (e.classList.length ? '.' + [...e.classList].slice(0, 2).join('.') : ''));
    }
    return parts.join(' > ');
  };
  const widgetClasses = {};
  for (const el of document.querySelectorAll('.jupyter-widgets [class*="widget-"], .jupyter-widgets.widget-inline-hbox, .jupyter-widgets')) {
    for (const c of el.classList) {
      if (!c.startsWith('widget-')) continue;
      widgetClasses[c] = widgetClasses[c] || {total: 0, visible: 0};
      widgetClasses[c].total += 1;
      if (visible(el)) widgetClasses[c].visible += 1;
    }
  }
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  return {
    title: document.title,
    theme: document.documentElement.dataset.theme || '',
    background: getComputedStyle(document.body).backgroundColor,
    articleText: (article.innerText || '').trim().length,
    images: [...main.querySelectorAll('img')].map((img) => ({
      src: img.getAttribute('src') || '',
      alt: img.getAttribute('alt'),
      cls: img.className,
      where: where(img),
      themeChrome: !!img.closest('.bd-header-article, .navbar-brand, .logo__image, .dropdown-launch-buttons'),
      html: img.outerHTML.slice(0, 200),
    })),
    figures: [...article.querySelectorAll('figure, div.figure')].map((fig) => {
      const cap = fig.querySelector('figcaption, p.caption');
      const text = cap ? (cap.querySelector('.caption-text') || cap).innerText.trim() : null;
      return {id: fig.id, where: where(fig), caption: text, html: fig.outerHTML.slice(0, 200)};
    }),
    anchors: [...document.querySelectorAll('a[href]')].map((a) => ({
      href: a.href,
      raw: a.getAttribute('href'),
      cls: a.className,
      text: (a.innerText || a.getAttribute('title') || '').trim().slice(0, 80),
      inArticle: article.contains(a),
    })),
    ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
    citationIds: [...document.querySelectorAll('[role="doc-biblioentry"][id], div.citation[id]')].map((e) => e.id),
    glossaryIds: [...document.querySelectorAll('dl.glossary > dt[id]')].map((e) => e.id),
    widgets: {
      views: views.length,
      // The HTML manager renders each view into a div.widget-subarea it inserts before the script.
      rendered: views.filter((v) => {
        const sub = v.previousElementSibling;
        return sub && sub.classList.contains('widget-subarea') && sub.querySelector('.jupyter-widgets');
      }).length,
      errors: [...document.querySelectorAll('.widget-subarea, .jupyter-widgets')]
        .map((e) => e.innerText || '').filter((t) => /Error displaying widget|Could not create|Failed to/i.test(t))
        .map((t) => t.slice(0, 200)),
      classes: widgetClasses,
    },
  };
}
"""

WIDGETS_DONE_JS = r"""
(selector) => {
  const views = [...document.querySelectorAll(selector)];
  return views.length > 0 && views.every((v) => {
    const sub = v.previousElementSibling;
    return sub && sub.classList.contains('widget-subarea') &&
           (sub.querySelector('.jupyter-widgets') || /Error/.test(sub.innerText || ''));
  });
}
"""


def _sri_ok(integrity: str, body: bytes) -> bool:
    """Whether `body` satisfies a Subresource Integrity attribute (any listed hash)."""
    for token in integrity.split():
        algo, _, digest = token.partition("-")
        if algo in {"sha256", "sha384", "sha512"}:
            if base64.b64encode(hashlib.new(algo, body).digest()).decode() == digest.split("?")[0]:
                return True
    return False


class Site:
    """Loads pages of the built book in Chromium, once each, and keeps what it saw."""

    def __init__(self, browser, base_url: str, vendor: Path):
        self.browser = browser
        self.base_url = base_url
        self.vendor = vendor
        self._visits: dict[tuple[str, str], Visit] = {}
        self._searches: dict[str, dict] = {}
        self._axe = None

    def url(self, html_path: str) -> str:
        return self.base_url + html_path.lstrip("/")

    # -- network -------------------------------------------------------------------------

    def _local_file_for(self, url: str) -> Path | None | bool:
        """Local copy for a vendored URL; False if the URL is not vendored; None if missing."""
        for pattern, target in book_site.vendored_scripts():
            m = pattern.match(url)
            if not m:
                continue
            rest = m.groupdict().get("rest")
            path = (target / rest).resolve() if rest else target
            if rest and target.resolve() not in path.parents:
                return None
            return path if path.is_file() else None
        return False

    def _route(self, visit: Visit):
        def handler(route):
            url = route.request.url
            if url.startswith(self.base_url):
                route.continue_()
                return
            local = self._local_file_for(url)
            if local is False:
                visit.blocked.append(f"{route.request.resource_type} {url}")
                route.abort("blockedbyclient")
            elif local is None:
                visit.vendor_missing.append(url)
                route.fulfill(status=404, body="not vendored", headers={"access-control-allow-origin": "*"})
            else:
                visit.vendored.append(url)
                ctype = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
                if ctype == "text/javascript":
                    ctype = "application/javascript"
                route.fulfill(status=200, path=str(local),
                              headers={"content-type": ctype, "access-control-allow-origin": "*"})

        return handler

    # -- visits --------------------------------------------------------------------------

    def visit(self, html_path: str, color_scheme: str = "light") -> Visit:
        """Load a page once per colour scheme (later calls return the same Visit): errors, DOM
        facts, axe results. The book follows the reader's system setting (default_mode: auto)."""
        key = (html_path, color_scheme)
        if key not in self._visits:
            self._visits[key] = self._load(html_path, color_scheme)
        return self._visits[key]

    def _load(self, html_path: str, color_scheme: str) -> Visit:
        url = self.url(html_path)
        visit = Visit(url=url, color_scheme=color_scheme)
        context = self.browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme, service_workers="block")
        context.route("**/*", self._route(visit))
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT_MS)

        def on_console(msg):
            if msg.type != "error":
                return
            if visit.inspected:
                visit.after_inspection.append(msg.text)
                return
            where = (msg.location or {}).get("url", "")
            text = msg.text
            # A blocked external resource (font, analytics, thebe, MathJax...) is expected offline.
            if text.startswith("Failed to load resource") and where and not where.startswith(self.base_url):
                return
            visit.console_errors.append(f"{text} (at {where})" if where else text)

        def on_request_failed(request):
            if request.url.startswith(self.base_url) and not visit.inspected:
                visit.local_failures.append(f"{request.url}: {request.failure}")

        def on_response(response):
            if response.url.startswith(self.base_url) and response.status >= 400 and not visit.inspected:
                visit.local_failures.append(f"{response.url}: HTTP {response.status}")

        def on_page_error(exc):
            (visit.after_inspection if visit.inspected else visit.page_errors).append(str(exc))

        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)
        try:
            response = page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
            visit.status = response.status if response else None
            if visit.status == 200:
                self._after_load(page, visit)
        finally:
            context.close()
        return visit

    def _after_load(self, page, visit: Visit) -> None:
        scripts = page.evaluate(
            "() => [...document.querySelectorAll('script[src]')]"
            ".map(s => ({src: s.src, integrity: s.getAttribute('integrity') || ''}))"
        )
        visit.sri_problems = self._check_sri(scripts)
        if page.locator(WIDGET_VIEW_SELECTOR).count():
            if visit.sri_problems:
                visit.widget_wait = "not waited for: a widget script was blocked (integrity mismatch)"
            else:
                self._wait_for_widgets(page, visit)
        page.evaluate("document.fonts ? document.fonts.ready.then(() => true) : true")
        page.wait_for_timeout(SETTLE_MS)  # let late scripts (timers, async handlers) report errors
        visit.dom = page.evaluate(COLLECT_JS)
        visit.inspected = True
        visit.axe_violations = self._run_axe(page)

    def _wait_for_widgets(self, page, visit: Visit) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            page.wait_for_function(WIDGETS_DONE_JS, arg=WIDGET_VIEW_SELECTOR, timeout=WIDGET_TIMEOUT_MS)
            visit.widget_wait = "rendered"
        except PlaywrightTimeout as exc:
            visit.widget_wait = f"widgets not rendered after {WIDGET_TIMEOUT_MS / 1000:.0f} s ({type(exc).__name__})"

    def _check_sri(self, scripts: list[dict]) -> list[str]:
        """Scripts we answer from a local copy must satisfy the page's integrity= attribute,
        or Chromium blocks them; say so plainly instead of leaving a puzzle."""
        problems = []
        for script in scripts:
            if not script["integrity"]:
                continue
            local = self._local_file_for(script["src"])
            if local and not _sri_ok(script["integrity"], local.read_bytes()):
                actual = base64.b64encode(hashlib.sha256(local.read_bytes()).digest()).decode()
                problems.append(
                    f"{script['src']} carries integrity={script['integrity']!r} but the local copy "
                    f"{local.relative_to(book_site.REPO) if book_site.REPO in local.parents else local} "
                    f"is sha256-{actual}; Chromium refuses to run it, so the page cannot work offline"
                )
        return problems

    def _run_axe(self, page) -> list[dict]:
        from axe_playwright_python.sync_playwright import Axe

        if self._axe is None:
            self._axe = Axe()  # uses the axe.min.js bundled in the package: no CDN
        results = self._axe.run(page, options=AXE_OPTIONS)
        return results.response.get("violations", [])

    # -- search --------------------------------------------------------------------------

    def search(self, term: str) -> dict:
        """Run the book's own search page for `term`; return its result links and errors."""
        if term in self._searches:
            return self._searches[term]
        from urllib.parse import quote

        url = self.url(f"search.html?q={quote(term)}")
        visit = Visit(url=url)
        context = self.browser.new_context(viewport=VIEWPORT, service_workers="block")
        context.route("**/*", self._route(visit))
        page = context.new_page()
        page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
        outcome = {"visit": visit, "results": [], "summary": "", "error": ""}
        try:
            response = page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
            visit.status = response.status if response else None
            try:
                page.wait_for_function(
                    "() => { const s = document.querySelector('#search-results .search-summary');"
                    " return s && /found|did not match/i.test(s.innerText); }",
                    timeout=LOAD_TIMEOUT_MS,
                )
                # Results are appended one by one after the summary appears; wait until stable.
                page.wait_for_function(
                    "() => { const n = document.querySelectorAll('#search-results ul.search > li').length;"
                    " const m = (document.querySelector('#search-results .search-summary').innerText.match(/found (\\d+)/) || [0, 0])[1];"
                    " return n >= Number(m); }",
                    timeout=LOAD_TIMEOUT_MS,
                )
            except Exception as exc:
                outcome["error"] = f"search did not finish: {type(exc).__name__}"
            outcome["summary"] = page.evaluate(
                "() => (document.querySelector('#search-results .search-summary') || {}).innerText || ''"
            )
            outcome["results"] = page.evaluate(
                "() => [...document.querySelectorAll('#search-results ul.search > li > a')].map(a => a.href)"
            )
        finally:
            context.close()
        self._searches[term] = outcome
        return outcome


_SITES: list[Site] = []


@pytest.fixture(scope="session")
def site(browser, base_url, vendor_dir) -> Site:
    _SITES.append(Site(browser, base_url, vendor_dir))
    return _SITES[-1]


def pytest_terminal_summary(terminalreporter):
    """One line per axe rule seen (any impact), so minor/moderate findings are visible too."""
    rules: dict[tuple[str, str], set[str]] = {}
    blocked: set[str] = set()
    for site in _SITES:
        visits = list(site._visits.values()) + [s["visit"] for s in site._searches.values()]
        for visit in visits:
            path = visit.url[len(site.base_url):] + (" [dark]" if visit.color_scheme == "dark" else "")
            for v in visit.axe_violations:
                rules.setdefault((v.get("impact") or "?", v["id"]), set()).add(f"{path} ({len(v['nodes'])})")
            blocked.update(b.split(" ", 1)[-1].split("?")[0] for b in visit.blocked)
    if not _SITES:
        return
    tr = terminalreporter
    tr.section("browser: axe-core findings (light and dark colour schemes, all impacts; any finding fails)")
    if not rules:
        tr.write_line("none")
    for (impact, rule), where in sorted(rules.items()):
        tr.write_line(f"{impact:9} {rule}: {', '.join(sorted(where))}")
    if blocked:
        tr.write_line(f"offline: {len(blocked)} external URL(s) aborted, e.g. {', '.join(sorted(blocked)[:4])}")


# --------------------------------------------------------------------------- parametrisation


def pytest_generate_tests(metafunc):
    """Parametrise over pages by name so a failure is reported per page (its URL path)."""
    groups = {
        "toc_page": lambda: list(book_site.pages()),
        "notebook_page": lambda: [p for p in book_site.pages() if p.is_notebook],
        "widget_page": lambda: [p for p in book_site.pages() if book_site.widget_state(p)],
    }
    for name, get in groups.items():
        if name in metafunc.fixturenames:
            values = get()
            metafunc.parametrize(name, values, ids=[p.html_path for p in values])
