"""Parse content YAML safely, keeping YAML 1.1's surprises out and line numbers in.

- Only plain data: no tags beyond the core ones, no anchors or aliases (a small file with
  nested aliases can expand into billions of values for the validator).
- YAML 1.2 core scalars: ``no``/``yes``/``on``/``off`` stay strings, ``1:30`` is not 90,
  ``010`` is not 8, dates stay strings. Only ``true``/``false`` are booleans.
- Duplicate keys are an error instead of the last one silently winning.
- Nesting is limited before the document is composed: libyaml's composer recurses in C and
  crashes the interpreter on a few tens of thousands of levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_DEPTH = 32

_CORE_TAGS = frozenset(
    {
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:map",
    }
)


class ContentYAMLError(Exception):
    """The text is not acceptable content YAML; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Loader(_BaseLoader):
    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 (our own table, not 1.1)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = self.construct_object(key_node)
                if key in seen:
                    raise ConstructorError(
                        None,
                        None,
                        f"key {key!r} appears twice in the same mapping",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


# YAML 1.2 core schema, minus the forms nobody writes by hand in a content file.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


@dataclass(frozen=True)
class Parsed:
    data: Any
    root: Node | None
    # Each mapping's keys indexed once, so looking up many errors' lines is linear in the
    # file, not quadratic (75,000 unknown keys took 170 s with a scan per error).
    _keys: dict[int, dict[str, tuple[ScalarNode, Node]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def _children(self, node: MappingNode) -> dict[str, tuple[ScalarNode, Node]]:
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    index.setdefault(str(key_node.value), (key_node, value_node))
            self._keys[id(node)] = index
        return index

    def line_of(self, loc: tuple[int | str, ...]) -> int | None:
        """The 1-based line of the value (or key) at ``loc``, or of its nearest ancestor."""
        node = self.root
        if node is None:
            return None
        line: int = node.start_mark.line + 1
        for part in loc:
            nxt: Node | None = None
            if isinstance(node, MappingNode):
                found = self._children(node).get(str(part))
                if found is not None:
                    key_node, nxt = found
                    line = key_node.start_mark.line + 1
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                nxt = node.value[part]
                line = nxt.start_mark.line + 1
            if nxt is None:
                return line
            node = nxt
        return line


def parse(text: str) -> Parsed:
    """Parse one YAML document; raises :class:`ContentYAMLError` with a line number."""
    try:
        _check_flow_depth(text)
        _check_events(text)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _from_marked(exc) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ContentYAMLError(
            f"line {line} contains a character YAML does not allow "
            f"(U+{int(exc.character):04X}: {exc.reason})",
            line,
        ) from None
    except yaml.YAMLError as exc:
        raise ContentYAMLError(f"YAML error: {exc}") from None
    return Parsed(data, root)


def _check_flow_depth(text: str) -> None:
    """Refuse flow collections (``[[[...``) nested deeper than MAX_DEPTH, in one linear pass.

    PyYAML's scanner reads a flow collection ahead of the events that _check_events counts,
    and its own limit (when it has one) decides the wording; this keeps the refusal and its
    message ours. Brackets inside quotes or comments do not count.
    """
    depth = 0
    line = 1
    quote = ""
    comment = False
    previous = "\n"
    for char in text:
        if char == "\n":
            line += 1
            comment = False
        elif comment:
            pass
        elif quote:
            if char == quote and previous != "\\":
                quote = ""
        elif char in "'\"" and previous in " \t\n[{,:":
            quote = char
        elif char == "#" and previous in " \t\n":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ContentYAMLError(f"nested more than {MAX_DEPTH} levels deep", line)
        elif char in "]}" and depth > 0:
            depth -= 1
        previous = char


def _check_events(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise ContentYAMLError(
                "YAML aliases (*name) are not supported in content files; write the text out",
                _line(event.start_mark),
            )
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise ContentYAMLError(
                f"YAML anchors (&{event.anchor}) are not supported in content files",
                _line(event.start_mark),
            )
        if isinstance(event, yaml.CollectionStartEvent | yaml.ScalarEvent):
            tag = event.tag
            if tag is not None and tag != "!" and _expand(tag) not in _CORE_TAGS:
                raise ContentYAMLError(
                    f"YAML tag {_shorten(tag)} is not supported in content files",
                    _line(event.start_mark),
                )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ContentYAMLError(
                    f"nested more than {MAX_DEPTH} levels deep", _line(event.start_mark)
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _line(mark: Any) -> int | None:
    return int(mark.line) + 1 if mark is not None else None


_CORE_PREFIX = "tag:yaml.org,2002:"


def _expand(tag: str) -> str:
    return _CORE_PREFIX + tag[2:] if tag.startswith("!!") else tag


def _shorten(tag: str) -> str:
    return "!!" + tag[len(_CORE_PREFIX) :] if tag.startswith(_CORE_PREFIX) else tag


def _from_marked(exc: yaml.MarkedYAMLError) -> ContentYAMLError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is None:
        return ContentYAMLError(f"YAML syntax error: {problem}")
    kind = "YAML error" if isinstance(exc, ConstructorError) else "YAML syntax error"
    where = f"line {mark.line + 1}, column {mark.column + 1}"
    return ContentYAMLError(f"{kind} at {where}: {problem}", mark.line + 1)
