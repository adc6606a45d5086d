"""Notebooks with saved widget state show their controls in the HTML book, offline.

The expected controls are derived from the notebook's own saved state: every model reachable from
a displayed view (through IPY_MODEL_ references) whose type has a known CSS class must be visible.
"""

import json
import re

import book_site

# ipywidgets 8 model name -> CSS class its view carries in the HTML manager.
MODEL_CSS_CLASS = {
    "DropdownModel": "widget-dropdown",
    "IntSliderModel": "widget-slider",
    "FloatSliderModel": "widget-slider",
    "FloatLogSliderModel": "widget-slider",
    "IntRangeSliderModel": "widget-slider",
    "FloatRangeSliderModel": "widget-slider",
    "SelectionSliderModel": "widget-slider",
    "SelectionRangeSliderModel": "widget-slider",
    "ToggleButtonsModel": "widget-toggle-buttons",
    "ToggleButtonModel": "widget-toggle-button",
    "CheckboxModel": "widget-checkbox",
    "RadioButtonsModel": "widget-radio",
    "SelectModel": "widget-select",
    "SelectMultipleModel": "widget-select-multiple",
    "TextModel": "widget-text",
    "TextareaModel": "widget-textarea",
    "IntTextModel": "widget-text",
    "FloatTextModel": "widget-text",
    "ButtonModel": "widget-button",
    "HTMLModel": "widget-html",
    "LabelModel": "widget-label",
    "VBoxModel": "widget-vbox",
    "HBoxModel": "widget-hbox",
    "ImageModel": "widget-image",
}
# Views that take no space when they have nothing to show.
EMPTY_WHEN_BLANK = {"HTMLModel", "HTMLMathModel", "LabelModel"}
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
REF = re.compile(r"IPY_MODEL_([0-9a-f]+)")


def _displayed_view_ids(page) -> list[str]:
    ids = []
    for cell in book_site.notebook(page)["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(VIEW_MIME)
            if view:
                ids.append(view["model_id"])
    return ids


def _hidden(model: dict, state: dict) -> bool:
    layout = REF.search(str(model.get("state", {}).get("layout", "")))
    layout_state = state.get(layout.group(1), {}).get("state", {}) if layout else {}
    return layout_state.get("display") == "none" or layout_state.get("visibility") == "hidden"


def expected_controls(page) -> dict[str, int]:
    """CSS class -> how many visible elements of it the saved state promises."""
    state = book_site.widget_state(page)
    seen, todo, counts = set(), list(_displayed_view_ids(page)), {}
    while todo:
        model_id = todo.pop()
        if model_id in seen or model_id not in state:
            continue
        seen.add(model_id)
        model = state[model_id]
        if _hidden(model, state):
            continue  # neither it nor its children are on screen
        name = model.get("model_name")
        css = MODEL_CSS_CLASS.get(name)
        state_ = model.get("state", {})
        if name in EMPTY_WHEN_BLANK and not str(state_.get("value") or "").strip() and not state_.get("description"):
            css = None  # an empty HTML/Label has no size: nothing to see
        if name == "ImageModel" and not model.get("buffers"):
            css = None  # no saved image data
        if css:
            counts[css] = counts.get(css, 0) + 1
        todo += REF.findall(json.dumps(model.get("state", {})))
    return counts


def test_saved_widget_state_renders_offline(site, widget_page):
    visit = site.visit(widget_page.html_path)
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    views = _displayed_view_ids(widget_page)
    expected = expected_controls(widget_page)
    widgets = visit.dom["widgets"]
    problems = []
    if views and widgets["views"] == 0:
        problems.append(f"the notebook displays {len(views)} widget view(s) but the page has none "
                        "(check nb_mime_priority_overrides)")
    if widgets["rendered"] < widgets["views"]:
        problems.append(f"only {widgets['rendered']} of {widgets['views']} widget view(s) rendered"
                        + (f"; {visit.widget_wait}" if visit.widget_wait != "rendered" else ""))
    problems += [f"widget error shown: {e}" for e in widgets["errors"]]
    for css, n in sorted(expected.items()):
        seen = widgets["classes"].get(css, {}).get("visible", 0)
        if seen < n:
            problems.append(f"expected {n} visible .{css} (from the saved state), found {seen}")
    if not expected:
        problems.append("the saved state has no recognisable controls to check (extend MODEL_CSS_CLASS)")
    if problems:
        problems += [f"(page also had: {e})" for e in visit.js_errors + visit.sri_problems]
    assert not problems, f"{visit.url}:\n  - " + "\n  - ".join(problems)
