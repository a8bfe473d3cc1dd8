"""Load walkthroughs from the bundled folder and the user's folder; report every broken file.

A broken file never stops the others from loading: it becomes a :class:`ContentError`
(``path: field: what is wrong``) in :attr:`Library.errors`. Nothing here ever writes a file.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from starcoach import paths
from starcoach.content.models import LEVEL_ORDER, MODELS, STEP_ORDER, Walkthrough
from starcoach.content.questions import (
    BankQuestion,
    Principle,
    PrincipleEntry,
    Question,
    QuestionBank,
    principle_key,
)
from starcoach.content.rubric import rubric_for
from starcoach.content.yamlsafe import ContentYAMLError, Parsed, parse
from starcoach.errors import StarCoachError, UnknownQuestion, UnknownStory

MAX_FILE_BYTES = 1024 * 1024
"""Content files are a few kilobytes; anything over 1 MB is refused before it is read."""

CONTENT_SUFFIXES = (".yaml", ".yml")

BUNDLED_ORDER: tuple[str, ...] = (
    "disagree-senior-leader",
    "unpopular-opinion",
    "commitment-difficult-circumstances",
    "have-backbone-disagree-commit",
    "earths-best-employer",
)
"""The bundled walkthroughs in the order DESIGN.md lists them (the order the app shows)."""

WHOLE_FILE = "(file)"

QUESTIONS_DIRNAME = "questions"
"""Question bank files live in this subfolder of a content folder (bundled or yours)."""

MAX_ERRORS_PER_FILE = 5
"""A file with thousands of mistakes reports the first few and how many more there are."""


@dataclass(frozen=True)
class ContentError:
    """One problem in one content file, fit to show as ``path: field: message``."""

    path: str
    field: str
    """Dotted path to the culprit (``steps.action.target_s``), or ``(file)``."""
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class ContentLoadError(StarCoachError):
    """A content file that cannot be used; ``errors`` lists everything wrong with it."""

    def __init__(self, path: str | Path, errors: Sequence[ContentError]) -> None:
        self.path = str(path)
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass
class Library:
    """Every walkthrough that loaded (bundled first, then the user's) and every error."""

    walkthroughs: dict[str, Walkthrough] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    """Where each walkthrough was loaded from."""
    bundled_ids: frozenset[str] = frozenset()

    def get(self, question_id: str) -> Walkthrough:
        try:
            return self.walkthroughs[question_id]
        except KeyError:
            raise UnknownQuestion(question_id) from None

    def ids(self) -> list[str]:
        return list(self.walkthroughs)

    def is_bundled(self, question_id: str) -> bool:
        return question_id in self.bundled_ids

    def __contains__(self, question_id: object) -> bool:
        return question_id in self.walkthroughs

    def __len__(self) -> int:
        return len(self.walkthroughs)

    # -- questions and stories -------------------------------------------------------------

    bank: dict[str, Question] = field(default_factory=dict)
    """Questions from the question bank files, by id."""
    principles: dict[str, Principle] = field(default_factory=dict)
    """Every principle the bank names, by :func:`principle_key`, in bank order."""
    chosen_stories: dict[str, str] = field(default_factory=dict)
    """Question id -> the story picked to answer it (in the window, for this run)."""

    def choose_story(self, question_id: str, story_id: str) -> Walkthrough:
        """Answer ``question_id`` with ``story_id`` from now on; the composed walkthrough."""
        composed = self.walkthrough_for(question_id, story_id)
        self.chosen_stories[question_id] = story_id
        return composed

    @property
    def questions(self) -> dict[str, Question]:
        """Every question: the walkthroughs' (each told with its own story), then the bank's."""
        out = {
            w.id: Question.from_walkthrough(w)
            for w in self.walkthroughs.values()
            if not w.is_story_only
        }
        out.update(self.bank)
        return out

    @property
    def stories(self) -> dict[str, Walkthrough]:
        """Every story: each walkthrough's (the bundled ones too) and your own."""
        return dict(self.walkthroughs)

    def own_stories(self) -> dict[str, Walkthrough]:
        return {k: w for k, w in self.walkthroughs.items() if k not in self.bundled_ids}

    def question(self, question_id: str) -> Question:
        if question_id in self.bank:
            return self.bank[question_id]
        walkthrough = self.walkthroughs.get(question_id)
        if walkthrough is None or walkthrough.is_story_only:
            raise UnknownQuestion(question_id)
        return Question.from_walkthrough(walkthrough)

    def story(self, story_id: str) -> Walkthrough:
        try:
            return self.walkthroughs[story_id]
        except KeyError:
            raise UnknownStory(story_id) from None

    def questions_for(self, principle: str) -> list[Question]:
        """Questions about ``principle`` (any spelling :func:`principle_key` matches)."""
        key = principle_key(principle)
        return [
            q for q in self.questions.values() if key in {principle_key(p) for p in q.principles}
        ]

    def principle_name(self, name: str) -> str:
        """The bank's spelling of a principle, or ``name`` itself when the bank lacks it."""
        found = self.principles.get(principle_key(name))
        return found.name if found is not None else name

    def walkthrough_for(self, question_id: str, story_id: str | None = None) -> Walkthrough:
        """What to practise: ``question_id`` answered with ``story_id``.

        A walkthrough's own question with its own story (or no story named) is the
        walkthrough unchanged. Otherwise the story's steps under the question's title,
        principles, probes and angles; steps without coaching get the rubric's (see
        :mod:`starcoach.content.rubric`). A story-only file may be practised on its own
        (its title is then the question)."""
        if story_id is None:
            story_id = self.chosen_stories.get(question_id)
        if story_id is None or story_id == question_id:
            walkthrough = self.walkthroughs.get(question_id)
            if walkthrough is not None:
                return self._coached(walkthrough)
            if question_id in self.bank:
                raise StarCoachError(
                    f"Question '{question_id}' has no story of its own: pick one of your "
                    "stories to answer it (see 'starcoach stories')"
                )
            raise UnknownQuestion(question_id)
        question = self.question(question_id)
        story = self.story(story_id)
        principles = list(question.principles)
        keys = {principle_key(p) for p in principles}
        principles += [p for p in story.principles if principle_key(p) not in keys]
        asked = {principle_key(p) for p in question.principles}
        # The story's own angle for the question's principle first, then the question's.
        angles = [a for a in story.angles if a.principle and principle_key(a.principle) in asked]
        angles += list(question.angles)
        composed = story.model_copy(
            update={
                "id": question.id,
                "title": question.title,
                "kind": "walkthrough",
                "principles": principles,
                "probes": list(question.probes) or list(story.probes),
                "angles": angles,
            }
        )
        return self._coached(composed, force=story.id not in self.bundled_ids, angle=question)

    def angle_for(self, question: Question) -> str:
        """The question's principle angle, one line: the bank's meaning of its principle."""
        name = question.principle
        if name is None:
            return ""
        found = self.principles.get(principle_key(name))
        if found is None or not found.meaning:
            return ""
        return f"For {found.name}: {found.meaning}"

    def _coached(
        self, walkthrough: Walkthrough, force: bool = False, angle: Question | None = None
    ) -> Walkthrough:
        """Fill the rubric's coaching into your story's steps that have none, with the
        question's principle angle on the Action and Result; a bundled walkthrough keeps
        its own, unchanged."""
        if walkthrough.id in self.bundled_ids and not force:
            return walkthrough
        line = self.angle_for(angle) if angle is not None else ""
        steps = []
        changed = False
        for step in walkthrough.steps:
            rubric = rubric_for(step.name)
            update: dict[str, str] = {}
            if not step.coaching:
                update["coaching"] = rubric.coaching
                if line and step.name in ("action", "result"):
                    update["coaching"] += f" {line}"
            if not step.common_mistake:
                update["common_mistake"] = rubric.common_mistake
            changed = changed or bool(update)
            steps.append(step.model_copy(update=update) if update else step)
        return walkthrough.model_copy(update={"steps": steps}) if changed else walkthrough


def load_file(path: Path) -> Walkthrough:
    """Load one content file; raises :class:`ContentLoadError` listing what is wrong."""
    walkthrough, errors, _ = _load(Path(path))
    if not isinstance(walkthrough, Walkthrough):
        raise ContentLoadError(path, errors)
    return walkthrough


def validate_path(path: Path) -> list[ContentError]:
    """Check a content file, or every *.yaml / *.yml in a folder (and its question bank
    subfolder); ``[]`` when all is valid."""
    path = Path(path)
    if path.is_dir():
        errors: list[ContentError] = []
        library = Library()
        _load_many(_content_files(path), library, errors)
        for bank_path in _content_files(path / QUESTIONS_DIRNAME):
            _add_bank(library, bank_path)
        return errors + library.errors
    if not path.exists():
        return [ContentError(str(path), WHOLE_FILE, "no such file or folder")]
    model = QuestionBank if path.parent.name == QUESTIONS_DIRNAME else Walkthrough
    return _load(path, model)[1]


def load_library(bundled_dir: Path | None = None, user_dir: Path | None = None) -> Library:
    """Load the bundled walkthroughs, then the user's own (which never replace a bundled one)."""
    bundled_dir = paths.bundled_content_dir() if bundled_dir is None else Path(bundled_dir)
    user_dir = paths.user_content_dir() if user_dir is None else Path(user_dir)
    library = Library()

    if bundled_dir.is_dir():
        files = sorted(_content_files(bundled_dir), key=_bundled_sort_key)
        _load_many(files, library, library.errors)
    else:
        library.errors.append(
            ContentError(str(bundled_dir), "(folder)", "bundled content folder not found")
        )
    library.bundled_ids = frozenset(library.walkthroughs)

    if user_dir.is_dir() and not _same_dir(user_dir, bundled_dir):
        _load_many(_content_files(user_dir), library, library.errors)
    elif user_dir.exists() and not user_dir.is_dir():
        library.errors.append(ContentError(str(user_dir), "(folder)", "is not a folder"))

    for folder in (bundled_dir, user_dir):
        if folder is user_dir and _same_dir(user_dir, bundled_dir):
            continue
        for path in _content_files(folder / QUESTIONS_DIRNAME):
            _add_bank(library, path)
    return library


def load_bank(path: Path) -> QuestionBank:
    """Load one question bank file; raises :class:`ContentLoadError` listing what is wrong."""
    bank, errors, _ = _load(Path(path), QuestionBank)
    if bank is None:
        raise ContentLoadError(path, errors)
    assert isinstance(bank, QuestionBank)
    return bank


def _add_bank(library: Library, path: Path) -> None:
    bank, errors, parsed = _load(path, QuestionBank)
    if not isinstance(bank, QuestionBank) or parsed is None:
        library.errors.extend(errors)
        return
    taken = set(library.walkthroughs) | set(library.bank)
    for p_index, entry in enumerate(bank.principles):
        key = principle_key(entry.name)
        principle = library.principles.get(key) or Principle(name=entry.name, meaning=entry.meaning)
        ids = list(principle.question_ids)
        for q_index, question in enumerate(entry.questions):
            if question.id in taken:
                loc = ("principles", p_index, "questions", q_index, "id")
                line = parsed.line_of(loc)
                field_path = f"principles.{p_index}.questions.{q_index}.id"
                message = f"id {question.id!r} is already used; give this question another id"
                library.errors.append(
                    ContentError(str(path), field_path, _with_line(message, line), line)
                )
                continue
            taken.add(question.id)
            library.bank[question.id] = Question.from_bank(entry, question, bank.authored)
            ids.append(question.id)
        library.principles[key] = principle.model_copy(update={"question_ids": ids})
    # "also" names a principle of this bank or of one loaded before it, spelled any way.
    for p_index, entry in enumerate(bank.principles):
        for q_index, question in enumerate(entry.questions):
            for a_index, other in enumerate(question.also):
                if principle_key(other) in library.principles:
                    continue
                where: tuple[str | int, ...] = (
                    "principles",
                    p_index,
                    "questions",
                    q_index,
                    "also",
                    a_index,
                )
                line = parsed.line_of(where)
                hint = _suggest(other, [p.name for p in library.principles.values()])
                message = f"unknown principle {other!r}" + (
                    f" (did you mean {hint!r}? quote a name with a comma)" if hint else ""
                )
                library.errors.append(
                    ContentError(
                        str(path), ".".join(map(str, where)), _with_line(message, line), line
                    )
                )


# -- internals -------------------------------------------------------------------------------


def _content_files(folder: Path) -> list[Path]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    files = [
        entry
        for entry in entries
        if entry.suffix.lower() in CONTENT_SUFFIXES
        and not entry.name.startswith(".")  # editor lock files, macOS ._ resource forks
        and entry.is_file()
    ]
    return sorted(files, key=lambda entry: (entry.name.casefold(), entry.name))


def _bundled_sort_key(path: Path) -> tuple[int, str]:
    stem = path.stem
    rank = BUNDLED_ORDER.index(stem) if stem in BUNDLED_ORDER else len(BUNDLED_ORDER)
    return rank, path.name.casefold()


def _same_dir(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _load_many(files: Iterable[Path], library: Library, errors: list[ContentError]) -> None:
    for path in files:
        walkthrough, file_errors, parsed = _load(path)
        if walkthrough is None or parsed is None:
            errors.extend(file_errors)
            continue
        if walkthrough.id in library.walkthroughs:
            first = library.paths[walkthrough.id]
            owner = (
                "a bundled walkthrough" if walkthrough.id in library.bundled_ids else "another file"
            )
            line = parsed.line_of(("id",))
            message = (
                f"id {walkthrough.id!r} is already used by {owner} ({first}); "
                "give this one a different id"
            )
            errors.append(ContentError(str(path), "id", _with_line(message, line), line))
            continue
        library.walkthroughs[walkthrough.id] = walkthrough
        library.paths[walkthrough.id] = path


_Loaded = tuple[Any, list[ContentError], Parsed | None]


def _load(path: Path, root: type[BaseModel] = Walkthrough) -> _Loaded:
    """The walkthrough (or ``root`` model, or None) and its errors, plus the parsed YAML for
    line numbers."""
    shown = str(path)

    def whole(message: str, line: int | None = None) -> _Loaded:
        return None, [ContentError(shown, WHOLE_FILE, _with_line(message, line), line)], None

    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                return whole(f"file is {_fmt_size(size)}; content files must be under 1 MB")
            raw = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        return whole("is a folder, not a file")
    except FileNotFoundError:
        return whole("no such file")
    except OSError as exc:
        return whole(f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > MAX_FILE_BYTES:  # grew after fstat
        return whole("file is over 1 MB; content files must be under 1 MB")

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return whole(
            f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read; save the file as UTF-8",
            line,
        )
    if not text.strip():
        return whole("the file is empty")

    try:
        parsed = parse(text)
    except ContentYAMLError as exc:
        return whole(exc.message, exc.line)

    data = parsed.data
    if data is None:
        return whole("the file has no content (only comments?)")
    if not isinstance(data, dict):
        return whole(
            f"expected a mapping of fields (id:, title:, steps: ...) at the top level, "
            f"found {_describe(data)}",
            parsed.line_of(()),
        )

    try:
        return root.model_validate(data), [], parsed
    except ValidationError as exc:
        details = exc.errors(include_url=False)
        errors = [
            _content_error(shown, error, parsed, root) for error in details[:MAX_ERRORS_PER_FILE]
        ]
        rest = len(details) - len(errors)
        if rest > 0:
            errors.append(
                ContentError(
                    shown,
                    WHOLE_FILE,
                    f"and {rest} more problem{'s' if rest != 1 else ''} in this file "
                    "(fix these first, then check it again)",
                )
            )
        return None, errors, parsed


def _content_error(
    shown: str, error: ErrorDetails, parsed: Parsed, root: type[BaseModel] = Walkthrough
) -> ContentError:
    loc = tuple(error["loc"])
    line = parsed.line_of(loc)
    return ContentError(
        shown, _field_path(loc, parsed.data), _with_line(_message(error, loc, root), line), line
    )


def _with_line(message: str, line: int | None) -> str:
    if line is None or f"line {line}" in message:
        return message
    return f"{message} (line {line})"


_LABEL_KEYS = {"steps": ("name", STEP_ORDER), "levels": ("level", LEVEL_ORDER)}


def _field_path(loc: tuple[int | str, ...], data: Any) -> str:
    """``('steps', 2, 'target_s')`` -> ``steps.action.target_s`` when step 2 is named."""
    parts: list[str] = []
    node = data
    parent_key: int | str | None = None
    for part in loc:
        label = str(part)
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            item = node[part]
            if parent_key in _LABEL_KEYS and isinstance(item, dict):
                key, allowed = _LABEL_KEYS[str(parent_key)]
                name = item.get(key)
                same = [x for x in node if isinstance(x, dict) and x.get(key) == name]
                if isinstance(name, str) and name in allowed and len(same) == 1:
                    label = name
            node = item
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            node = None
        parts.append(label)
        parent_key = part
    return ".".join(parts) if parts else WHOLE_FILE


def _message(
    error: ErrorDetails, loc: tuple[int | str, ...], root: type[BaseModel] = Walkthrough
) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    last = loc[-1] if loc else None

    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        hint = _suggest(str(last), _fields_of(_model_at(loc[:-1], root)))
        return f"unknown field {str(last)!r}" + (f"; did you mean {hint!r}?" if hint else "")
    if kind == "literal_error":
        allowed = _literal_values(loc, root)
        hint = _suggest(str(value), allowed) if isinstance(value, str) else None
        what = {"name": "step", "level": "level"}.get(str(last), "value")
        text = f"unknown {what} {value!r}"
        if hint:
            text += f" (did you mean {hint!r}?)"
        return text + (f"; use one of: {', '.join(allowed)}" if allowed else "")
    if kind == "string_type":
        if value is None:
            return "is empty; write the text after the colon"
        return f"expected text, found {_describe(value)}" + _quote_hint(value)
    if kind in {"float_type", "int_type", "int_from_float", "finite_number"}:
        if kind == "finite_number":
            return f"must be a finite number, found {value!r}"
        if isinstance(value, str):
            return f"expected a number (of seconds), found text {value!r}; write e.g. 30"
        return f"expected a number, found {_describe(value)}"
    if kind == "bool_type":
        return f"expected true or false, found {_describe(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), found {_describe(value)}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"expected a mapping (indented 'key: value' lines), found {_describe(value)}"
    if kind in {"greater_than", "greater_than_equal"}:
        bound = ctx.get("gt", ctx.get("ge"))
        unit = " seconds" if str(last).endswith("_s") or "_s_" in str(last) else ""
        relation = "greater than" if kind == "greater_than" else "at least"
        shown = f"{bound:g}" if isinstance(bound, int | float) else str(bound)
        return f"must be {relation} {shown}{unit}, found {value!r}"
    if kind == "string_too_short":
        return "must not be empty (leave the field out instead)"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length', 1)} item(s)"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"]


def _quote_hint(value: object) -> str:
    if isinstance(value, bool | int | float):
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        return f'; put it in quotes if you mean the text: "{shown}"'
    return ""


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _suggest(word: str, choices: Sequence[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _fmt_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


# Walking the schema along an error's location, to name the fields a typo could have meant.


def _model_at(
    loc: Sequence[int | str], root: type[BaseModel] = Walkthrough
) -> type[BaseModel] | None:
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        model = _model_in(info.annotation) if info is not None else None
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _fields_of(model: type[BaseModel] | None) -> list[str]:
    if model is not None:
        return list(model.model_fields)
    models: tuple[type[BaseModel], ...] = (*MODELS, QuestionBank, PrincipleEntry, BankQuestion)
    return sorted({name for m in models for name in m.model_fields})


def _literal_values(loc: Sequence[int | str], root: type[BaseModel] = Walkthrough) -> list[str]:
    if not loc:
        return []
    model = _model_at(loc[:-1], root)
    info = model.model_fields.get(str(loc[-1])) if model is not None else None
    if info is None:
        return []
    return [str(v) for v in _literal_args(info.annotation)]


def _literal_args(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return tuple(v for arg in typing.get_args(annotation) for v in _literal_args(arg))
    return ()
