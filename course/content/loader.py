"""Load the authored course from its folder into checked, frozen objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import durations, markdown
from .cache import using
from .checks import check_course
from .errors import ContentError, Problem
from .files import Document, Report, plain, read_markdown, read_yaml, validate
from .layout import COURSE_PAGE, MODULE_FOLDER, PAGES_FOLDER, STEP_FILE, check_layout
from .links import media_addresses
from .model import Course, CourseInfo, Module, Page, Quiz, Step, Tool


@dataclass
class Parts:
    """What each file gave, before the course is linked: objects and where their keys stand."""

    info: CourseInfo
    modules: list[Module] = field(default_factory=list)
    quizzes: list[Quiz] = field(default_factory=list)
    tools: list[Tool] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    docs: dict[str, Document] = field(default_factory=dict)  # "step:<id>", "page:<id>", "course"
    broken_quizzes: set[str] = field(default_factory=set)  # ids of quiz files that failed
    broken_tools: set[str] = field(default_factory=set)
    media: frozenset[str] = frozenset()  # the files of media/, as /media/<path> addresses


@dataclass(frozen=True)
class Checked:
    """What checking a course's folder found: the course (None on any error), every problem,
    and whether the checks across files ran (they wait until every file reads)."""

    course: Course | None
    problems: list[Problem]
    across_files: bool


def check_folder(root: Path, cache: Path | None = None) -> Checked:
    """Read and check the course in `root`.

    A file that cannot be read (its YAML, its front matter, its fields, its name) stops the
    check there: every reference to what it held would be an error of its own elsewhere (an
    unknown quiz, a link to a step that is not there), and the one real fault lost among them.
    With a `cache` file, Markdown already rendered and YAML already parsed are read from it.
    """
    report = Report()
    with using(cache):
        parts = read_parts(root, report)
    if report.has_errors:
        return Checked(None, sorted(report.problems), across_files=False)
    resolve_defaults(parts)
    check_course(parts, report)
    problems = sorted(report.problems)
    return Checked(None if report.has_errors else link(parts), problems, across_files=True)


def load_course(root: Path, cache: Path | None = None) -> tuple[Course | None, list[Problem]]:
    """Load and check the course in `root`; return it (None on any error) and every problem
    (`check_folder`)."""
    checked = check_folder(root, cache)
    return checked.course, checked.problems


def load_course_or_raise(root: Path, cache: Path | None = None) -> Course:
    """Load the course, raising ContentError if it has any error."""
    course, problems = load_course(root, cache)
    if course is None:
        raise ContentError([p for p in problems if p.severity.value == "error"])
    return course


def read_parts(root: Path, report: Report) -> Parts:
    """Read every authored file under `root`."""
    parts = Parts(info=CourseInfo(title="Cours"), media=media_addresses(root))
    check_layout(root, report)
    _read_info(root, report, parts)
    modules_dir = root / "modules"
    if not modules_dir.is_dir():
        report.error("modules", 1, "folder not found: the course needs a modules/ folder")
    else:
        for folder in sorted(p for p in modules_dir.iterdir() if p.is_dir()):
            if MODULE_FOLDER.match(folder.name):
                _read_module(root, folder, report, parts)
        for file in sorted((modules_dir / PAGES_FOLDER).glob("*.md")):
            _read_page(root, file, report, parts)
    for file in sorted((root / "quizzes").glob("*.yaml")):
        _read_quiz(root, file, report, parts)
    for file in sorted((root / "tools").glob("*.yaml")):
        _read_tool(root, file, report, parts)
    return parts


def _read_info(root: Path, report: Report, parts: Parts) -> None:
    """Read the course's presentation; without one the course keeps its default title."""
    file = root / "modules" / COURSE_PAGE
    if not file.is_file():
        if file.parent.is_dir():
            report.warn(
                f"modules/{COURSE_PAGE}",
                1,
                f"missing: without modules/{COURSE_PAGE} (title, subtitle, presentation) the "
                "site is titled « Cours » and has no presentation",
            )
        return
    doc = read_markdown(root, file, report)
    if doc is None:
        return
    info = validate(CourseInfo, doc, {**plain(doc), "html": markdown.render(doc.body)}, report)
    _check_body(doc, report)
    if info is not None:
        parts.info = info
        parts.docs["course"] = doc


def _read_module(root: Path, folder: Path, report: Report, parts: Parts) -> None:
    file = folder / "module.md"
    if not file.is_file():
        report.error(folder.relative_to(root).as_posix(), 1, "module folder has no module.md")
        return
    doc = read_markdown(root, file, report)
    if doc is None:
        return
    steps = [_read_step(root, f, report, parts) for f in sorted(folder.glob("*.md"))]
    data = {**plain(doc), "html": markdown.render(doc.body), "path": doc.path}
    data["steps"] = [s for s in steps if s is not None]
    _check_body(doc, report)
    module = validate(Module, doc, data, report)
    if module is not None:
        parts.modules.append(module)
        parts.docs[f"module:{module.id}"] = doc


def _read_step(root: Path, file: Path, report: Report, parts: Parts) -> Step | None:
    if file.name == "module.md":
        return None
    if not STEP_FILE.match(file.name):
        rel = file.relative_to(root).as_posix()
        report.error(rel, 1, "step file name must look like NN-slug.md (lower case)")
        return None
    doc = read_markdown(root, file, report)
    if doc is None:
        return None
    data = {**plain(doc), "html": markdown.render(doc.body), "path": doc.path}
    data["words"] = durations.count_words(doc.body)
    video = data.get("video")
    if isinstance(video, dict) and isinstance(video.get("transcript"), str):
        data["video"] = {**video, "transcript_html": markdown.render(video["transcript"])}
    if isinstance(data.get("activities"), list):
        data["activities"] = [_activity_data(doc, i, a) for i, a in enumerate(data["activities"])]
    _check_body(doc, report)
    step = validate(Step, doc, data, report)
    if step is None:
        return None
    parts.docs[f"step:{step.id}"] = doc
    estimate = durations.step_estimate(step.words, step.activities)
    return step.model_copy(update={"estimated_minutes": estimate})


def _activity_data(doc: Document, index: int, activity: Any) -> Any:
    """Add an activity's line and its rendered prompt."""
    if not isinstance(activity, dict):
        return activity
    activity = {**activity, "line": doc.line("activities", index)}
    if isinstance(activity.get("prompt"), str):
        activity["prompt_html"] = markdown.render(activity["prompt"])
    return activity


def _read_page(root: Path, file: Path, report: Report, parts: Parts) -> None:
    doc = read_markdown(root, file, report)
    if doc is None:
        return
    _check_body(doc, report)
    data = {**plain(doc), "html": markdown.render(doc.body), "path": doc.path}
    page = validate(Page, doc, data, report)
    if page is not None:
        parts.pages.append(page)
        parts.docs[f"page:{page.id}"] = doc


def _read_quiz(root: Path, file: Path, report: Report, parts: Parts) -> None:
    doc = read_yaml(root, file, report)
    if doc is None:
        return
    data = plain(doc)
    questions = data.get("questions")
    if isinstance(questions, list):
        data["questions"] = [_question_data(doc, i, q) for i, q in enumerate(questions)]
    quiz = validate(Quiz, doc, {**data, "content_hash": doc.digest, "path": doc.path}, report)
    if quiz is None:
        parts.broken_quizzes.add(str(data.get("id")))
    else:
        _check_named_by_id(doc, file, quiz.id, report)
        parts.quizzes.append(quiz)
        parts.docs[f"quiz:{quiz.id}"] = doc


def _check_named_by_id(doc: Document, file: Path, given: str, report: Report) -> None:
    """A quiz or tool file is named by its id (`quizzes/<id>.yaml`): say which to change."""
    if file.stem != given:
        report.error(
            doc.path,
            doc.line("id"),
            f"id '{given}' is not the file's name: rename the file {given}.yaml, or write "
            f"`id: {file.stem}`",
        )


def _question_data(doc: Document, index: int, q: Any) -> Any:
    """Add each question's line and rendered HTML to its data."""
    if not isinstance(q, dict):
        return q
    q = {**q, "line": doc.line("questions", index)}
    for key in ("prompt", "explanation", "feedback_wrong"):
        if isinstance(q.get(key), str):
            q[f"{key}_html"] = markdown.render(q[key])
    if isinstance(q.get("choices"), list):
        q["choices"] = [_choice_data(doc, index, n, c) for n, c in enumerate(q["choices"])]
    for key, fields in (("items", ("text",)), ("pairs", ("left", "right"))):
        if isinstance(q.get(key), list):
            q[key] = [
                _inline({**e, "line": doc.line("questions", index, key, n)}, fields)
                if isinstance(e, dict)
                else e
                for n, e in enumerate(q[key])
            ]
    return q


def _choice_data(doc: Document, q_index: int, index: int, choice: Any) -> Any:
    if not isinstance(choice, dict):
        return choice
    choice = {**choice, "line": doc.line("questions", q_index, "choices", index)}
    if isinstance(choice.get("feedback"), str):
        choice["feedback_html"] = markdown.render(choice["feedback"])
    return _inline(choice, ("text",))


def _inline(entry: Any, fields: tuple[str, ...]) -> Any:
    if not isinstance(entry, dict):
        return entry
    rendered = {
        ("html" if f == "text" else f"{f}_html"): markdown.render_inline(str(entry[f]))
        for f in fields
        if isinstance(entry.get(f), str)
    }
    return {**entry, **rendered}


def _read_tool(root: Path, file: Path, report: Report, parts: Parts) -> None:
    doc = read_yaml(root, file, report)
    if doc is None:
        return
    data = plain(doc)
    if isinstance(data.get("summary"), str):
        data["summary_html"] = markdown.render(data["summary"])
    if isinstance(data.get("sections"), list):
        data["sections"] = [_section_data(doc, i, s) for i, s in enumerate(data["sections"])]
    tool = validate(Tool, doc, {**data, "path": doc.path}, report)
    if tool is None:
        parts.broken_tools.add(str(data.get("id")))
    else:
        _check_named_by_id(doc, file, tool.id, report)
        parts.tools.append(tool)
        parts.docs[f"tool:{tool.id}"] = doc


def _section_data(doc: Document, index: int, section: Any) -> Any:
    """Add each field's line and the section's rendered introduction."""
    if not isinstance(section, dict):
        return section
    section = dict(section)
    if isinstance(section.get("intro"), str):
        section["intro_html"] = markdown.render(section["intro"])
    if isinstance(section.get("fields"), list):
        section["fields"] = [
            {**f, "line": doc.line("sections", index, "fields", n)} if isinstance(f, dict) else f
            for n, f in enumerate(section["fields"])
        ]
    return section


def _check_body(doc: Document, report: Report) -> None:
    """Warn about what a Markdown body would lose: alt text, a level-1 heading, nesting."""
    for offset in markdown.images_without_alt(doc.body):
        report.warn(doc.path, doc.body_line + offset, "image without alt text")
    for offset, message in markdown.layout_problems(doc.body):
        report.warn(doc.path, doc.body_line + offset, message)


def resolve_defaults(parts: Parts) -> None:
    """Fill in what depends on other files: `requires`, pre-tests and the time estimate."""
    modules = sorted(parts.modules, key=lambda m: m.order)
    pretests = {q.module: q.id for q in parts.quizzes if q.kind == "pretest"}
    resolved: list[Module] = []
    for index, module in enumerate(modules):
        requires = module.requires
        if requires is None:
            requires = (modules[index - 1].id,) if index > 0 else ()
        update = {"requires": requires, "pretest": pretests.get(module.id)}
        module = module.model_copy(update=update)
        estimate = durations.module_estimate(module, parts.quizzes)
        resolved.append(module.model_copy(update={"estimated_minutes": estimate}))
    parts.modules = resolved


def link(parts: Parts) -> Course:
    """Assemble the checked parts into the course."""
    return Course(
        info=parts.info,
        modules=tuple(parts.modules),
        quizzes={q.id: q for q in parts.quizzes},
        tools={t.id: t for t in sorted(parts.tools, key=_course_order(parts.modules))},
        pages=tuple(sorted(parts.pages, key=lambda p: (p.order, p.id))),
    )


def _course_order(modules: list[Module]) -> Any:
    """Order tools as the course lists them: by module, then as the module lists them (a tool
    no module lists comes last), not by file name."""
    places = {t: (m, n) for m, module in enumerate(modules) for n, t in enumerate(module.tools)}
    return lambda tool: (*places.get(tool.id, (len(modules), 0)), tool.id)
