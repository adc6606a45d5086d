"""axe-core (bundled with axe-playwright-python, injected into the page: no CDN) finds no
violation on any page, of any impact, in the light and in the dark colour scheme (the book follows
the reader's system setting). color-contrast is included; no rule is switched off."""

import pytest

MAX_NODES = 5


def describe(violation: dict) -> str:
    lines = [f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation.get('helpUrl', '')})"]
    for node in violation["nodes"][:MAX_NODES]:
        target = " ".join(str(t) for t in node.get("target", []))
        summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
        lines.append(f"      {target}: {summary[:300]}")
        lines.append(f"        {node.get('html', '')[:160]}")
    if len(violation["nodes"]) > MAX_NODES:
        lines.append(f"      ... and {len(violation['nodes']) - MAX_NODES} more element(s)")
    return "\n".join(lines)


def assert_no_violations(visit):
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    assert not visit.axe_violations, (
        f"{visit.url} ({visit.color_scheme} scheme):\n  - " + "\n  - ".join(describe(v) for v in visit.axe_violations))


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_no_axe_violations(site, toc_page, color_scheme):
    visit = site.visit(toc_page.html_path, color_scheme)
    assert_no_violations(visit)
    # The scheme really applied (pydata-sphinx-theme sets data-theme from prefers-color-scheme).
    assert visit.dom["theme"] == color_scheme, f"{visit.url}: data-theme is {visit.dom['theme']!r}"


def test_dark_scheme_changes_the_page(site):
    light, dark = site.visit("chapters/intro.html", "light"), site.visit("chapters/intro.html", "dark")
    assert light.dom["background"] != dark.dom["background"], "the dark scheme left the page background unchanged"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_search_page_has_no_axe_violations(site, color_scheme):
    assert_no_violations(site.visit("search.html", color_scheme))
