"""axe-core (bundled with axe-playwright-python, injected into the page: no CDN) finds no serious
or critical violation on any page. color-contrast is included; no rule is switched off."""

FAILING_IMPACTS = {"serious", "critical"}
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


def test_no_serious_or_critical_axe_violations(site, toc_page):
    visit = site.visit(toc_page.html_path)
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    bad = [v for v in visit.axe_violations if v.get("impact") in FAILING_IMPACTS]
    assert not bad, f"{visit.url}:\n  - " + "\n  - ".join(describe(v) for v in bad)


def test_search_page_has_no_serious_or_critical_axe_violations(site):
    visit = site.visit("search.html")
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    bad = [v for v in visit.axe_violations if v.get("impact") in FAILING_IMPACTS]
    assert not bad, f"{visit.url}:\n  - " + "\n  - ".join(describe(v) for v in bad)
