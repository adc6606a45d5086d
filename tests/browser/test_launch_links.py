"""Notebook pages offer Binder, Colab and JupyterHub for *this* repository, branch and notebook;
exercise pages link their student versions."""

import re
from urllib.parse import parse_qs, unquote, urlparse

import pytest

import book_site


def _links(visit, prefix: str) -> list[str]:
    return [a["href"] for a in visit.dom["anchors"] if prefix and a["href"].startswith(prefix.rstrip("/") + "/")]


def test_notebook_page_has_launch_links_for_this_repository(site, notebook_page):
    visit = site.visit(notebook_page.html_path)
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    repo = book_site.repository()
    nb_path = repo.notebook_path(notebook_page)  # e.g. chapters/intro.ipynb
    buttons = book_site.launch_buttons()
    problems = []

    def check(service: str, key: str, ok, want: str):
        base = buttons.get(key)
        if not base:
            problems.append(f"{service}: launch_buttons.{key} is not set in _config.yml")
            return
        links = _links(visit, base)
        if not links:
            problems.append(f"{service}: no link to {base}")
        elif not any(ok(href) for href in links):
            problems.append(f"{service}: {links} — none {want}")

    check("Binder", "binderhub_url",
          lambda h: f"/v2/gh/{repo.org}/{repo.name}/{repo.branch}" in urlparse(h).path
          and unquote(h).rstrip("/").endswith(nb_path),
          f"is /v2/gh/{repo.org}/{repo.name}/{repo.branch} opening {nb_path}")
    check("Colab", "colab_url",
          lambda h: urlparse(h).path.endswith(f"/github/{repo.org}/{repo.name}/blob/{repo.branch}/{nb_path}"),
          f"opens github/{repo.org}/{repo.name}/blob/{repo.branch}/{nb_path}")

    def hub_ok(h):
        q = {k: v[0] for k, v in parse_qs(urlparse(h).query).items()}
        return (urlparse(h).path.endswith("/git-pull") and q.get("repo", "").rstrip("/") == repo.url
                and q.get("branch") == repo.branch and q.get("urlpath", "").endswith(f"{repo.name}/{nb_path}"))

    check("JupyterHub", "jupyterhub_url", hub_ok,
          f"is an nbgitpuller link with repo={repo.url}, branch={repo.branch} and urlpath ending {repo.name}/{nb_path}")
    assert not problems, f"{visit.url} ({nb_path}):\n  - " + "\n  - ".join(problems)


def _exercise_params():
    pages = [p for p in book_site.pages() if p.is_exercise]
    return [pytest.param(p, id=p.html_path) for p in pages] or [pytest.param(None, id="no-exercise-pages-in-toc")]


STUDENT_NOTEBOOK = re.compile(r"exercises/[^?&#\s]+?\.ipynb")


@pytest.mark.parametrize("exercise_page", _exercise_params())
def test_exercise_page_links_its_student_version(site, exercise_page):
    """Student versions are exercises/<set>/<set>.ipynb (see exercises/README.md); masters
    (<set>-master.ipynb) and autograder/ hold the solutions and must never be linked."""
    if exercise_page is None:
        assert not any(p.docname.startswith("exercises/") for p in book_site.pages())
        return
    problems = []
    if exercise_page.source and (exercise_page.source.stem.endswith("-master") or "autograder" in exercise_page.source.parts):
        problems.append(f"_toc.yml lists {exercise_page.docname}: that is a master/autograder notebook with the solutions")
    visit = site.visit(exercise_page.html_path)
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    student, leaks = [], []
    for a in visit.dom["anchors"]:
        href = unquote(a["href"])
        for path in STUDENT_NOTEBOOK.findall(href):
            if path.endswith("-master.ipynb") or "/autograder/" in path:
                leaks.append(f"{a['raw']} (links the solutions: {path})")
            else:
                student.append((path, a["raw"]))
    problems += [f"link to a master/autograder notebook: {leak}" for leak in leaks]
    if not student:
        problems.append("no link to a student notebook (exercises/<set>/<set>.ipynb): launch buttons or a link in the text")
    for path, raw in student:
        if not (book_site.book_source() / path).is_file():
            problems.append(f"link {raw} points to {path}, which is not in the repository")
    assert not problems, f"{visit.url}:\n  - " + "\n  - ".join(problems)
