"""The book's search page (search.html?q=...) finds the right pages for key terms."""

import pytest

import book_site

# term -> pages (docnames in _toc.yml) that must be among the results. Each page must itself
# mention the term (checked), and at least one result must be a page whose source has the term.
SEARCH_EXPECTATIONS = {
    "Hashimoto": ["chapters/intro", "chapters/silk_road"],  # the intro and the phase-3 chapter
    "Dialogue": ["chapters/intro", "chapters/dialogue"],
}


@pytest.mark.parametrize("term", sorted(SEARCH_EXPECTATIONS))
def test_search_finds_pages_for_term(site, term):
    outcome = site.search(term)
    visit = outcome["visit"]
    url = visit.url
    assert visit.status == 200, f"{url}: HTTP {visit.status}"
    problems = []
    if outcome["error"]:
        problems.append(outcome["error"])
    problems += [f"uncaught exception on the search page: {e}" for e in visit.page_errors]
    found = [book_site.page_for_url(href, site.base_url) for href in outcome["results"]]
    found_names = [p.docname for p in found if p]
    if not outcome["results"]:
        problems.append(f"no results ({outcome['summary']!r})")
    for docname in SEARCH_EXPECTATIONS[term]:
        page = next((p for p in book_site.pages() if p.docname == docname), None)
        if page is None:
            problems.append(f"expected page {docname!r} is not in _toc.yml (update SEARCH_EXPECTATIONS)")
            continue
        if term.lower() not in book_site.full_source_text(page).lower():
            problems.append(f"expected page {docname!r} no longer mentions {term!r} (update SEARCH_EXPECTATIONS)")
        if docname not in found_names:
            problems.append(f"{docname} is not among the results {found_names or outcome['results']}")
    mentioning = [p for p in found if p and term.lower() in book_site.full_source_text(p).lower()]
    if outcome["results"] and not mentioning:
        problems.append(f"none of the results {found_names} is a page whose source contains {term!r}")
    assert not problems, f"{url}:\n  - " + "\n  - ".join(problems)
