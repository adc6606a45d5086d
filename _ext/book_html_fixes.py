"""Small fixes to the HTML that Sphinx 7.4 / docutils 0.21 write for this book.

1. Inline scripts written twice. Sphinx 7.4 keeps JavaScript registered after the builder has
   started (sphinx-thebe's `const THEBE_JS_URL = ...`, sphinx-togglebutton's selector) once with
   filename None and once with filename '', and writes both; the second `const` throws
   "Identifier 'THEBE_JS_URL' has already been declared" on every page. Fixed upstream in
   Sphinx 8.2 (sphinx-doc/sphinx#13402), which Jupyter Book 1 (sphinx~=7.0) cannot use; the same
   fix here: register '' instead of None.

2. Bibliography entries. docutils writes each entry as <div role="doc-biblioentry"> inside
   <div role="list">; DPUB-ARIA 1.1 deprecates doc-biblioentry, so assistive technology (and
   axe-core: aria-required-children, critical) find a list without list items. Write
   role="listitem" instead.

3. Empty header cells. pandas writes the corner above a table's index, and the blank cells of
   multi-row column headers, as <th></th>: a header that names nothing (axe: empty-table-header).
   An empty cell is data, not a header: write <td></td>.
"""

import re

EMPTY_HEADER_CELL = re.compile(r"<th(\s[^>]*)?>\s*(?:&nbsp;|&#160;)?\s*</th>")


def _citations_as_list_items(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _empty_header_cells_as_data(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and "</th>" in body:
        context["body"] = EMPTY_HEADER_CELL.sub(lambda m: f"<td{m.group(1) or ''}></td>", body)


def setup(app):
    add_js_file = app.add_js_file

    def add_js_file_without_none(filename, priority=500, loading_method=None, **kwargs):
        return add_js_file(filename or "", priority=priority, loading_method=loading_method, **kwargs)

    app.add_js_file = add_js_file_without_none
    app.connect("html-page-context", _citations_as_list_items)
    app.connect("html-page-context", _empty_header_cells_as_data)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
