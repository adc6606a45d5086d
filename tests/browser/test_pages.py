"""Every page of the table of contents loads, has real content and runs without JS errors."""

import book_site


def _report(url: str, problems: list[str]) -> str:
    return f"{url}:\n  - " + "\n  - ".join(problems)


def test_page_loads_with_content_and_no_js_errors(site, toc_page):
    problems = []
    if toc_page.source is None:
        problems.append(f"_toc.yml lists {toc_page.docname!r} but there is no .md or .ipynb for it")
    visit = site.visit(toc_page.html_path)
    if visit.status != 200:
        problems.append(f"HTTP {visit.status} (is the book built from the current _toc.yml?)")
    else:
        length = visit.dom["articleText"]
        if length <= 200:
            problems.append(f"main content (article.bd-article) has only {length} characters of text")
        problems += visit.js_errors
        problems += [f"local request failed: {f}" for f in visit.local_failures]
        problems += [f"script integrity: {p}" for p in visit.sri_problems]
        problems += [f"CDN URL with no local copy in tests/browser/vendor: {u}" for u in visit.vendor_missing]
    assert not problems, _report(visit.url, problems)


def test_toc_is_not_empty():
    """Guard: a broken toc reader must not make every per-page test vanish."""
    pages = book_site.pages()
    assert len(pages) >= 2, f"only {len(pages)} page(s) read from {book_site.book_source() / '_toc.yml'}"
