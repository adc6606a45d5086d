"""Images in the main content have meaningful alt text; figures have captions."""

import posixpath
import re
from urllib.parse import unquote, urlparse

IMAGE_EXT = re.compile(r"\.(png|jpe?g|gif|svg|webp|bmp|tiff?|avif)\b", re.I)
GENERIC = re.compile(r"^(image|img|figure|fig|picture|photo|chart|plot|graph|output|untitled)[\s_\-\d.]*$", re.I)
MIN_ALT = 10


def alt_problem(alt: str | None, src: str, theme_chrome: bool) -> str | None:
    if alt is None:
        return "no alt attribute"
    text = alt.strip()
    if not text:
        return "empty alt text"
    if theme_chrome:  # the theme's own logos and launch icons: any non-empty alt will do
        return None
    name = posixpath.basename(unquote(urlparse(src).path))
    if text == name or text == posixpath.splitext(name)[0]:
        return f"alt text is the file name ({text!r})"
    if IMAGE_EXT.search(text) or ("/" in text and " " not in text):
        return f"alt text looks like a file name or path ({text!r})"
    if GENERIC.match(text):
        return f"alt text is generic ({text!r})"
    if len(text) < MIN_ALT:
        return f"alt text shorter than {MIN_ALT} characters ({text!r})"
    return None


def test_images_have_alt_text_and_figures_have_captions(site, toc_page):
    visit = site.visit(toc_page.html_path)
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    problems = []
    for img in visit.dom["images"]:
        why = alt_problem(img["alt"], img["src"], img["themeChrome"])
        if why:
            problems.append(f"<img src={img['src']!r}> at {img['where']}: {why}")
    for fig in visit.dom["figures"]:
        label = f"figure{'#' + fig['id'] if fig['id'] else ''} at {fig['where']}"
        if fig["caption"] is None:
            problems.append(f"{label}: no <figcaption>")
        elif not fig["caption"]:
            problems.append(f"{label}: empty caption")
    assert not problems, f"{visit.url}:\n  - " + "\n  - ".join(problems)
