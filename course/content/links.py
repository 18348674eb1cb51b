"""Links and images in authored Markdown: an address on the site must name a module, step, page,
quiz or tool that exists, and a link to a `.md` file (dead once the course is served) is an
error; an image is another site's, or a file of the course's media/ folder (/media/<file>).

The content layer cannot ask Flask which addresses the site serves, so `SITE_ROUTES` lists them,
in Flask's syntax; `tests/unit/test_content_links.py` checks that it matches the app's routes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .files import Document, Report
    from .loader import Parts

# Every address the app answers a GET on (course/web/*.py), content ones first.
SITE_ROUTES = (
    "/modules/<module_id>",
    "/modules/<module_id>/steps/<step_id>",
    "/modules/<module_id>/warmup",
    "/pages/<page_id>",
    "/quizzes/<quiz_id>/attempts",
    "/tools/<tool_id>",
    "/tools/<tool_id>/export.<fmt>",
    "/tools/<tool_id>/print",
    "/",
    "/about",
    "/account",
    "/account/delete",
    "/admin/certificates",
    "/admin/users",
    "/attempts/<int:attempt_id>",
    "/certificates/<code>",
    "/certificates/<code>/badge.png",
    "/certificates/<code>/credential.json",
    "/certificates/<code>/print",
    "/certificates/issuer",
    "/certificates/key",
    "/certificates/key.pem",
    "/certificates/status-list",
    "/favicon.ico",
    "/healthz",
    "/join",
    "/join/<code>",
    "/learners/<int:user_id>/export.json",
    "/learners/<int:user_id>/progress",
    "/login",
    "/media/<path:filename>",
    "/password/forgot",
    "/password/reset/<token>",
    "/progress",
    "/progress/export.json",
    "/readyz",
    "/register",
    "/static/<path:filename>",
    "/trainer/",
    "/trainer/cohorts/<int:cohort_id>",
    "/trainer/cohorts/<int:cohort_id>/attempts.csv",
    "/trainer/cohorts/<int:cohort_id>/export.csv",
    "/trainer/cohorts/<int:cohort_id>/gain",
    "/trainer/cohorts/<int:cohort_id>/learners/<int:user_id>",
    "/trainer/cohorts/<int:cohort_id>/learners/<int:user_id>/waivers/new",
    "/trainer/cohorts/<int:cohort_id>/quizzes/<quiz_id>",
    "/trainer/cohorts/<int:cohort_id>/report",
)
# The route parameters that name authored content; any other parameter takes any value.
CONTENT_PARAMETERS = {
    "module_id": "module",
    "step_id": "step",
    "page_id": "page",
    "quiz_id": "quiz",
    "tool_id": "tool",
}
STEP_ADDRESS = "/modules/<module>/steps/<step>"

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
_CONVERTERS = {None: r"[^/]+", "int": r"\d+", "path": r"[^/].*?"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Code shows Markdown as it is written: a link inside it is not a link.
_FENCED_CODE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[^\n]*$|\Z)", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)  # one paragraph
_INLINE_LINK = re.compile(
    r"(?<![!\\])\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
)
_IMAGE = re.compile(r"(?<!\\)!\[[^\]\n]*\]\(\s*(<[^>\n]*>|[^\s()]+)")
_HTML_IMAGE = re.compile(r"<img\s[^>]*?\bsrc\s*=\s*[\"']([^\"']*)[\"']", re.I)
MEDIA = "/media/"  # a course's own images: COURSE_DIR/media/<file>, served at /media/<file>
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_HTML_ANCHOR = re.compile(r"<a\s[^>]*?\bhref\s*=\s*[\"']([^\"']*)[\"']", re.I)


@dataclass(frozen=True)
class Site:
    """What authored links may name: the content's ids, and the address of each Markdown file."""

    steps: dict[str, frozenset[str]]  # module id -> its steps' ids
    pages: frozenset[str]
    quizzes: frozenset[str]
    tools: frozenset[str]
    addresses: dict[str, str]  # authored file (modules/01-x/02-y.md) -> its address on the site
    media: frozenset[str] = frozenset()  # /media/<file> for each file of the course's media/

    def known(self, kind: str) -> frozenset[str]:
        """Return the ids of one kind of content (module, page, quiz or tool)."""
        return {
            "module": frozenset(self.steps),
            "page": self.pages,
            "quiz": self.quizzes,
            "tool": self.tools,
        }[kind]


def find_links(markdown: str) -> list[tuple[int, str]]:
    """Return each link's target in Markdown with its 0-based line (code left out)."""
    text = _CODE_SPAN.sub(_blanked, _FENCED_CODE.sub(_blanked, markdown))
    found = [
        (match.start(1), match[1].strip("<>"))
        for pattern in (_INLINE_LINK, _REFERENCE, _HTML_ANCHOR)
        for match in pattern.finditer(text)
    ]
    return sorted((text.count("\n", 0, start), target) for start, target in found)


def find_images(markdown: str) -> list[tuple[int, str]]:
    """Return each image's source in Markdown with its 0-based line (code left out)."""
    text = _CODE_SPAN.sub(_blanked, _FENCED_CODE.sub(_blanked, markdown))
    found = [
        (match.start(1), match[1].strip("<>"))
        for pattern in (_IMAGE, _HTML_IMAGE)
        for match in pattern.finditer(text)
    ]
    return sorted((text.count("\n", 0, start), source) for start, source in found)


def image_problem(source: str, site: Site) -> str | None:
    """Say what is wrong with an image's source, or None if the browser will find it."""
    if _SCHEME.match(source) or source.startswith("//"):
        return None  # another site's image (https:, data:)
    path = re.split(r"[?#]", source, maxsplit=1)[0]
    if path.startswith(MEDIA):
        found = path in site.media
        return None if found else f"image '{source}': no file {path.lstrip('/')} in the course"
    if path.startswith("/static/"):
        return None  # the engine's own files
    name = posixpath.basename(path)
    return f"image '{source}': put the file in the course's media/ folder and write {MEDIA}{name}"


def _blanked(found: re.Match[str]) -> str:
    """Blank out code, keeping its line breaks so that lines after it keep their numbers."""
    return re.sub(r"[^\n]", " ", found[0])


def link_problem(target: str, site: Site, here: str) -> str | None:
    """Say what is wrong with a link written in the file `here`, or None if it leads somewhere."""
    if not target or target.startswith(("#", "//")) or _SCHEME.match(target):
        return None  # an anchor on the same page, or another site
    path = re.split(r"[?#]", target, maxsplit=1)[0]
    if not path.startswith("/"):
        return _markdown_file_problem(target, path, site, here) if path.endswith(".md") else None
    if path.startswith(MEDIA):
        return None if path in site.media else f"link '{target}': no file {path[1:]} in the course"
    for route, parameters in _routes():
        found = route.fullmatch(path)
        if found is not None:
            return _unknown_content(target, found.groupdict(), parameters, site)
    if path.endswith(".md"):
        return _markdown_file_problem(target, path, site, "")
    return f"link '{target}': the site has no page at this address"


def _markdown_file_problem(target: str, path: str, site: Site, here: str) -> str:
    """Say that a link to a `.md` file is dead on the site, and give the address to use."""
    file = posixpath.normpath(posixpath.join(posixpath.dirname(here), path.lstrip("/")))
    address = site.addresses.get(file)
    instead = f" (this one: {address})" if address else ""
    return (
        f"link '{target}' names a Markdown file, which the site does not serve: link a step as "
        f"{STEP_ADDRESS}{instead}"
    )


def _unknown_content(
    target: str, values: dict[str, str], parameters: dict[str, str], site: Site
) -> str | None:
    """Say which module, step, page, quiz or tool a matching address names that does not exist."""
    for name, kind in parameters.items():
        value = values[name]
        if kind == "step":
            problem = _unknown_step(value, values["module_id"], site)
        else:
            problem = None if value in site.known(kind) else f"unknown {kind} '{value}'"
        if problem is not None:
            return f"link '{target}': {problem}"
    return None


def _unknown_step(step: str, module: str, site: Site) -> str | None:
    """Say when a step is not in the module its address names, and where it is if anywhere."""
    if module not in site.steps or step in site.steps[module]:
        return None  # an unknown module is said once, by its own parameter
    home = next((m for m, steps in site.steps.items() if step in steps), None)
    elsewhere = f" (it is a step of '{home}')" if home else ""
    return f"module '{module}' has no step '{step}'{elsewhere}"


@cache
def _routes() -> tuple[tuple[re.Pattern[str], dict[str, str]], ...]:
    """Return each site route as a regular expression, with its content parameters in order."""
    return tuple((_route_pattern(route), _content_parameters(route)) for route in SITE_ROUTES)


def _route_pattern(route: str) -> re.Pattern[str]:
    """Turn a Flask route (`/modules/<module_id>`) into a regular expression."""
    parts = _PARAMETER.split(route)
    pattern = "".join(
        re.escape(parts[i])
        + (f"(?P<{parts[i + 2]}>{_CONVERTERS[parts[i + 1]]})" if i + 2 < len(parts) else "")
        for i in range(0, len(parts), 3)
    )
    return re.compile(pattern)


def _content_parameters(route: str) -> dict[str, str]:
    """Return the parameters of a route that name content, with their kind."""
    names = [name for _, name in _PARAMETER.findall(route)]
    return {name: CONTENT_PARAMETERS[name] for name in names if name in CONTENT_PARAMETERS}


def media_addresses(root: Path) -> frozenset[str]:
    """Return the address of each file in the course's media/ folder (none when it has none)."""
    folder = root / MEDIA.strip("/")
    files = folder.rglob("*") if folder.is_dir() else ()
    return frozenset(MEDIA + f.relative_to(folder).as_posix() for f in files if f.is_file())


def site_of(parts: Parts) -> Site:
    """Gather what links may name from the course's parts (a broken file's id counts as known,
    as its own errors already say what is wrong)."""
    addresses = {m.path: f"/modules/{m.id}" for m in parts.modules}
    addresses |= {s.path: f"/modules/{m.id}/steps/{s.id}" for m in parts.modules for s in m.steps}
    addresses |= {p.path: f"/pages/{p.id}" for p in parts.pages}
    if "course" in parts.docs:
        addresses[parts.docs["course"].path] = "/about"
    return Site(
        steps={m.id: frozenset(s.id for s in m.steps) for m in parts.modules},
        pages=frozenset(p.id for p in parts.pages),
        quizzes=frozenset(q.id for q in parts.quizzes) | parts.broken_quizzes,
        tools=frozenset(t.id for t in parts.tools) | parts.broken_tools,
        addresses=addresses,
        media=parts.media,
    )


def check_links(parts: Parts, report: Report) -> None:
    """Report every link of every authored text that leads nowhere, at its line."""
    site = site_of(parts)
    for doc in parts.docs.values():
        for line, text in authored_texts(doc):
            for offset, target in find_links(text):
                problem = link_problem(target, site, doc.path)
                if problem is not None:
                    report.error(doc.path, line + offset, problem)
            for offset, source in find_images(text):
                problem = image_problem(source, site)
                if problem is not None:
                    report.error(doc.path, line + offset, problem)


def authored_texts(doc: Document) -> Iterator[tuple[int, str]]:
    """Yield each text of a document with the line where its first line stands: a Markdown
    file's body, and every string of its front matter or of a YAML file."""
    if doc.body:
        yield doc.body_line, doc.body
    for loc, text in _strings(doc.data, ()):
        # A text spanning lines comes from a block (`prompt: |`), which starts below its key.
        yield doc.line(*loc) + (1 if "\n" in text else 0), text


def _strings(node: Any, loc: tuple[int | str, ...]) -> Iterator[tuple[tuple[int | str, ...], str]]:
    if isinstance(node, str):
        yield loc, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*loc, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*loc, index))
