"""{cite} links land on an entry of the bibliography page; {term} links on a glossary term."""

from urllib.parse import unquote, urlparse

import book_site


def _targets(site, pages_with_anchors, key: str) -> dict[str, set[str]]:
    """html path -> ids of the kind `key` ('citationIds' / 'glossaryIds') on that page."""
    result = {}
    for page in pages_with_anchors:
        visit = site.visit(page.html_path)
        assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
        result[page.html_path] = set(visit.dom[key])
    return result


def _internal_links_to(site, visit, paths: set[str]):
    for a in visit.dom["anchors"]:
        if "reference" not in a["cls"].split() or not a["href"].startswith(site.base_url):
            continue
        url = urlparse(a["href"])
        path = url.path.lstrip("/")
        if path in paths and url.fragment:
            yield a, path, unquote(url.fragment)


def test_citation_links_resolve_to_bibliography_entries(site, toc_page):
    bib_pages = book_site.bibliography_pages()
    assert bib_pages, "no page in _toc.yml has a {bibliography} directive"
    entries = _targets(site, bib_pages, "citationIds")
    for path, ids in entries.items():
        assert ids, f"{site.url(path)} has a bibliography directive but no entries were rendered"
    visit = site.visit(toc_page.html_path)
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    links = list(_internal_links_to(site, visit, set(entries)))
    problems = [f"{a['text']!r} -> {a['raw']}: no bibliography entry with id {frag!r} on {path}"
                for a, path, frag in links if frag not in entries[path]]
    used = book_site.count_role(toc_page, "cite")  # {cite}, {cite:p}, {cite:t}, ...
    if used and not links:
        problems.append(f"the source uses {{cite}} {used} time(s) but the page has no links to the bibliography")
    assert not problems, f"{visit.url}:\n  - " + "\n  - ".join(problems)


def test_glossary_links_resolve_to_terms(site, toc_page):
    gloss_pages = book_site.glossary_pages()
    assert gloss_pages, "no page in _toc.yml has a {glossary} directive"
    terms = _targets(site, gloss_pages, "glossaryIds")
    for path, ids in terms.items():
        assert ids, f"{site.url(path)} has a glossary directive but no terms were rendered"
    visit = site.visit(toc_page.html_path)
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    links = [(a, p, f) for a, p, f in _internal_links_to(site, visit, set(terms)) if f.startswith("term-")]
    problems = [f"{a['text']!r} -> {a['raw']}: no glossary term with id {frag!r} on {path}"
                for a, path, frag in links if frag not in terms[path]]
    used = book_site.count_role(toc_page, "term")
    if used and not links:
        problems.append(f"the source uses {{term}} {used} time(s) but the page has no links to glossary terms")
    assert not problems, f"{visit.url}:\n  - " + "\n  - ".join(problems)
