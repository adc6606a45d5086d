"""What the browser tests know about the book *without* a browser.

Everything here is read from the book's sources (``_toc.yml``, ``_config.yml``, the pages'
``.md``/``.ipynb`` files) so that the tests follow the book as it grows: a new chapter in the
table of contents is tested as soon as it is built.

Environment variables
    BOOK_HTML    the built HTML folder to test (default: <repo>/_build/html)
    BOOK_SOURCE  the book's source folder, holding _toc.yml and _config.yml (default: <repo>).
                 Only needed when testing a build made from a copy of the sources.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VENDOR = HERE / "vendor"

WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"


def book_html() -> Path:
    return Path(os.environ.get("BOOK_HTML") or REPO / "_build" / "html").resolve()


def book_source() -> Path:
    return Path(os.environ.get("BOOK_SOURCE") or REPO).resolve()


@dataclass(frozen=True)
class Page:
    """One page of the table of contents."""

    docname: str          # e.g. "chapters/intro"
    source: Path | None   # the .md / .ipynb it is built from (None if missing)
    part: str             # caption of the toc part ("" for the root page)

    @property
    def html_path(self) -> str:
        """Path of the built page relative to the HTML root, e.g. 'chapters/intro.html'."""
        return f"{self.docname}.html"

    @property
    def is_notebook(self) -> bool:
        return self.source is not None and self.source.suffix == ".ipynb"

    @property
    def is_exercise(self) -> bool:
        return self.docname.startswith("exercises/")

    def __str__(self) -> str:  # used in test ids
        return self.html_path


@lru_cache(maxsize=None)
def config() -> dict:
    return yaml.safe_load((book_source() / "_config.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def toc() -> dict:
    return yaml.safe_load((book_source() / "_toc.yml").read_text(encoding="utf-8"))


def _source_for(docname: str) -> Path | None:
    root = book_source()
    # The toc may give the name with or without its extension.
    candidates = [root / docname] if Path(docname).suffix in {".md", ".ipynb"} else []
    candidates += [root / f"{docname}{ext}" for ext in (".ipynb", ".md")]
    return next((p for p in candidates if p.is_file()), None)


def _strip_ext(name: str) -> str:
    return re.sub(r"\.(md|ipynb)$", "", name)


def _walk_entries(node, part: str):
    """Yield (docname, part) for every `file:` entry, depth first, in toc order."""
    if isinstance(node, list):
        for item in node:
            yield from _walk_entries(item, part)
    elif isinstance(node, dict):
        if "file" in node:
            yield _strip_ext(node["file"]), part
        for key in ("chapters", "sections"):
            if key in node:
                yield from _walk_entries(node[key], part)


@lru_cache(maxsize=None)
def pages() -> tuple[Page, ...]:
    """Root page plus every file of every part, in toc order."""
    t = toc()
    entries = [(_strip_ext(t["root"]), "")]
    for part in t.get("parts", []):
        entries += list(_walk_entries(part.get("chapters", []), part.get("caption", "")))
    # Books without parts list chapters at the top level.
    entries += list(_walk_entries(t.get("chapters", []), ""))
    seen, result = set(), []
    for docname, part in entries:
        if docname not in seen:
            seen.add(docname)
            result.append(Page(docname, _source_for(docname), part))
    return tuple(result)


def page_by_html_path(path: str) -> Page | None:
    path = path.lstrip("/")
    return next((p for p in pages() if p.html_path == path), None)


def page_for_url(url: str, base_url: str) -> Page | None:
    """The toc page a URL on the local server points to (query and fragment ignored)."""
    if not url.startswith(base_url):
        return None
    return page_by_html_path(urlparse(url).path)


# --------------------------------------------------------------------------- page sources


@lru_cache(maxsize=None)
def notebook(page: Page) -> dict:
    return json.loads(page.source.read_text(encoding="utf-8"))


def widget_state(page: Page) -> dict:
    """The saved widget state of a notebook page ({model_id: model}); empty if none."""
    if not page.is_notebook:
        return {}
    widgets = notebook(page).get("metadata", {}).get("widgets") or {}
    return (widgets.get(WIDGET_STATE_MIME) or {}).get("state") or {}


@lru_cache(maxsize=None)
def prose(page: Page) -> str:
    """The page's MyST text: a Markdown file, or the Markdown cells of a notebook.

    Literal code fences (```python ...) are removed; directive fences (```{note} ...) are kept.
    """
    if page.source is None:
        return ""
    if page.is_notebook:
        text = "\n\n".join(
            "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for cell in notebook(page)["cells"]
            if cell["cell_type"] == "markdown"
        )
    else:
        text = page.source.read_text(encoding="utf-8")
    return re.sub(r"^(`{3,}|~{3,})(?!\s*\{)[^\n]*\n.*?^\1[ \t]*$", "", text, flags=re.M | re.S)


def full_source_text(page: Page) -> str:
    """Everything in the page's source file (for 'does this page mention X')."""
    return page.source.read_text(encoding="utf-8") if page.source else ""


def count_role(page: Page, *roles: str) -> int:
    """How many times MyST roles such as {cite}`key` / {cite:t}`key` / {term}`X` are used."""
    names = "|".join(re.escape(r) for r in roles)
    return len(re.findall(r"(?<![`\w])\{(?:%s)(?::[\w-]+)?\}`[^`]+`" % names, prose(page)))


def has_directive(page: Page, name: str) -> bool:
    return re.search(r"^(`{3,}|:{3,})\{%s\}" % re.escape(name), prose(page), flags=re.M) is not None


def bibliography_pages() -> list[Page]:
    return [p for p in pages() if has_directive(p, "bibliography")]


def glossary_pages() -> list[Page]:
    return [p for p in pages() if has_directive(p, "glossary")]


# --------------------------------------------------------------------------- launch links


@dataclass(frozen=True)
class Repository:
    url: str      # https://github.com/org/name
    org: str
    name: str
    branch: str
    path_to_book: str

    def notebook_path(self, page: Page) -> str:
        """Path of a page's notebook inside the repository, e.g. 'chapters/intro.ipynb'."""
        rel = page.source.relative_to(book_source()).as_posix()
        return f"{self.path_to_book.strip('/')}/{rel}".lstrip("/")


def repository() -> Repository:
    repo = config()["repository"]
    url = repo["url"].rstrip("/")
    parts = urlparse(url).path.strip("/").split("/")
    return Repository(url, parts[0], parts[1], repo.get("branch", "main"), repo.get("path_to_book") or "")


def launch_buttons() -> dict:
    return config().get("launch_buttons") or {}


def vendored_scripts() -> list[tuple[re.Pattern, Path]]:
    """(URL regex, local file or folder) for the scripts the built pages load from CDNs.

    A regex with a group `rest` maps onto a folder (the rest of the URL is the file inside it).
    """
    return [
        # require.js, where MyST-NB asks for it (cdnjs) and the npm file on jsDelivr.
        (re.compile(r"^https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/2\.3\.4/require(\.min)?\.js(\?.*)?$"),
         VENDOR / "require.min.js"),
        (re.compile(r"^https://cdn\.jsdelivr\.net/npm/requirejs@2\.3\.4/require\.js(\?.*)?$"),
         VENDOR / "require.min.js"),
        # The Jupyter widgets HTML manager and the chunks/fonts it loads next to itself.
        (re.compile(r"^https://cdn\.jsdelivr\.net/npm/@jupyter-widgets/html-manager@1\.0\.6/dist/(?P<rest>[^?#]+)"),
         VENDOR / "html-manager-dist"),
    ]
