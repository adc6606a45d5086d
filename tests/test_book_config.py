"""The book's configuration: table of contents, execution settings, launch buttons, pins."""

import re

import yaml


def _toc_files(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"file", "root"}:
                yield value
            else:
                yield from _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_files(item)


def test_toc_lists_existing_pages_in_the_required_parts(repo):
    toc = yaml.safe_load((repo / "_toc.yml").read_text())
    assert toc["format"] == "jb-book"
    for name in _toc_files(toc):
        assert any((repo / f"{name}{ext}").is_file() for ext in (".md", ".ipynb")), f"{name} missing"
    captions = [part["caption"] for part in toc["parts"]]
    assert captions[0] == "Start here" and captions[-1] == "Reference"
    order = ["Start here", "The four phases", "Debates and prospects", "Exercises", "For instructors", "Reference"]
    assert captions == [c for c in order if c in captions]


def test_every_notebook_is_in_the_toc(repo):
    toc = yaml.safe_load((repo / "_toc.yml").read_text())
    listed = set(_toc_files(toc))
    for path in (repo / "chapters").glob("*.ipynb"):
        assert str(path.relative_to(repo).with_suffix("")) in listed, f"{path.name} is not in _toc.yml"


def test_execution_fails_on_errors(repo):
    config = yaml.safe_load((repo / "_config.yml").read_text())
    assert config["execute"]["allow_errors"] is False
    assert config["execute"]["timeout"] > 0
    assert config["execute"]["execute_notebooks"] in {"cache", "force"}
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    assert config["only_build_toc_files"] is True


def test_launch_buttons_and_bibliography(repo):
    config = yaml.safe_load((repo / "_config.yml").read_text())
    buttons = config["launch_buttons"]
    for key in ("binderhub_url", "colab_url", "jupyterhub_url"):
        assert buttons[key].startswith("https://")
    assert buttons["thebe"] is True
    assert config["sphinx"]["config"]["bibtex_reference_style"] == "author_year"
    assert {"sphinx_exercise", "sphinx_togglebutton"} <= set(config["sphinx"]["extra_extensions"])


def test_requirements_are_pinned(repo):
    lines = [l.strip() for l in (repo / "requirements.txt").read_text().splitlines()]
    packages = [l for l in lines if l and not l.startswith("#") and not l.startswith("-e")]
    for line in packages:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s]*", line), f"not pinned exactly: {line}"
    names = {l.split("==")[0].lower() for l in packages}
    assert {"jupyter-book", "pandas", "matplotlib", "ipywidgets", "nbval", "otter-grader",
            "sphinx-exercise", "sphinxcontrib-bibtex", "jupyterlab"} <= names
    version = next(l for l in packages if l.startswith("jupyter-book==")).split("==")[1]
    assert version.startswith("1."), "Jupyter Book 2 no longer reads _config.yml/_toc.yml"
    assert "-e ." in lines
    assert (repo / "runtime.txt").read_text().strip() == "python-3.11"


def test_glossary_page_is_generated_from_the_data():
    import make_glossary  # tools/make_glossary.py

    assert make_glossary.main(["--check"]) == 0


def test_empty_header_cells_become_data_cells(repo):
    """_ext/book_html_fixes.py: pandas' blank header cells are written as <td>, named headers stay <th>."""
    import importlib.util

    import pandas as pd

    spec = importlib.util.spec_from_file_location("book_html_fixes", repo / "_ext" / "book_html_fixes.py")
    fixes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixes)
    table = pd.DataFrame({("aid", "JPY"): [1], ("aid", "USD"): [2]}, index=pd.Index(["Kazakhstan"], name="country"))
    html = table.to_html() + table.style.to_html()
    assert re.search(r"<th[^>]*>\s*(&nbsp;)?\s*</th>", html), "pandas no longer writes blank header cells"
    context = {"body": html}
    fixes._empty_header_cells_as_data(None, "page", "page.html", context, None)
    fixed = context["body"]
    assert not re.search(r"<th[^>]*>\s*(&nbsp;)?\s*</th>", fixed)
    for name in ("aid", "JPY", "USD", "country", "Kazakhstan"):
        assert re.search(rf"<th[^>]*>\s*{name}\s*</th>", fixed), f"header {name!r} lost"
    assert fixed.count("<td") == html.count("<td") + len(re.findall(r"<th[^>]*>\s*(&nbsp;)?\s*</th>", html))


def test_no_source_is_in_the_bibliography_twice(repo):
    """The bibliography page lists every entry (:all:), so one source under two keys shows twice."""
    text = (repo / "references.bib").read_text(encoding="utf-8")
    keys_by_url: dict[str, list[str]] = {}
    for key, body in re.findall(r"@\w+\{([^,\s]+),(.*?)\n\}", text, re.S):
        url = re.search(r"\burl = \{([^}]*)\}", body)
        if url:
            normal = re.sub(r"^https?://(www\.)?", "", url.group(1)).replace(":443", "").rstrip("/")
            keys_by_url.setdefault(normal, []).append(key)
    repeated = {url: keys for url, keys in keys_by_url.items() if len(keys) > 1}
    assert not repeated, f"sources with more than one BibTeX key (merge them): {repeated}"
