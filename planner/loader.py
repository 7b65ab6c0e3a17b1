"""Bounded, safe reading of untrusted scenario files (YAML or JSON).

Scenario files come from uploads and from folders people hand around, so reading one must never run code,
hang, crash the process or use unbounded time or memory, and every refusal is a `ScenarioError` in English
and Chinese that names the limit or the line. What is enforced, and where:

* size: at most MAX_FILE_BYTES (checked with os.stat before opening, and again on the bytes read);
* only regular files are opened (no folders, devices, FIFOs, sockets, nothing under /proc, /sys, /dev);
* text must be UTF-8 (a leading BOM is dropped) without lone surrogates;
* YAML: PyYAML's C-based safe loader when libyaml is there (`yaml.CSafeLoader`, else `yaml.SafeLoader`);
  dates stay text (pydantic validates them and reports a bad date with its field); only the standard tags
  str, int, float, bool, null, seq, map (and timestamp, kept as text) are accepted; one linear pass over the
  parser's events, before anything is composed, refuses nesting deeper than MAX_DEPTH, recursive aliases
  and aliases that would expand the document by more than ALIAS_BUDGET nodes (each anchor's expanded size
  is remembered, never expanded); duplicate keys are refused; mappings are `LocatedDict`s, plain dicts
  that remember their lines for messages (`line_of`);
* YAML merge keys (`<<: *defaults`) are handled as in YAML 1.1: keys written in the mapping override merged
  ones, and of several merged mappings the earlier wins; `<<` given twice in one mapping is a duplicate;
* JSON: duplicate keys, NaN and ±Infinity are refused; nesting is capped at MAX_DEPTH as for YAML;
* integers with more digits than Python converts (4300) are refused in both.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.reader import ReaderError

from planner.issues import ScenarioError, issue

MAX_FILE_BYTES = 10 * 1024 * 1024  # file-size cap (the Streamlit upload limit is 10 MB too)
ROSTER_SUFFIXES = (".xlsx", ".csv")
"""File names that name an Excel roster or a CSV of its 人员 sheet (planner.roster), not YAML or JSON."""


def is_roster(source: str) -> bool:
    """Whether a file name names a roster (.xlsx workbook or .csv of the 人员 sheet)."""
    return source.lower().endswith(ROSTER_SUFFIXES)


MAX_DEPTH = 40  # nesting depth cap of mappings/sequences
ALIAS_BUDGET = 10_000  # YAML: nodes that alias expansion may add beyond the document's own nodes

_T = "tag:yaml.org,2002:"
_MERGE = _T + "merge"
_ALLOWED_TAGS: dict[type, set[str]] = {
    yaml.ScalarEvent: {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp", "merge")},
    yaml.SequenceStartEvent: {_T + "seq"},
    yaml.MappingStartEvent: {_T + "map"},
}
_SYSTEM_DIRS = ("proc", "sys", "dev")
_SYNTAX_HINT = ("fix the syntax at the line shown", "按提示行号修改语法")
_MB = 1024 * 1024


class OutsideFolder(ValueError):
    """A file named in a scenario (a community or calendar file) that may not be read (outside the folder, missing, not a file)."""

    def __init__(self, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh


class LocatedDict(dict):
    """A YAML mapping: a plain dict that also remembers its own line and the line of each key (from 1)."""

    __slots__ = ("key_lines", "line")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.line: int | None = None
        self.key_lines: dict[Any, int] = {}


class _Refused(Exception):
    """A refusal found while parsing, turned into a ScenarioError naming the source by parse_text."""

    def __init__(self, en: str, zh: str, line: int | None = None, hint: tuple[str, str] = ("", "")):
        super().__init__(en)
        self.en, self.zh, self.line, self.hint = en, zh, line, hint


# ---------------------------------------------------------------- public functions


def parse_text(text: str | bytes, source: str) -> Any:
    """Parse YAML or JSON (JSON when source ends in .json, case-insensitive).
    Raises planner.issues.ScenarioError."""
    is_json = source.lower().endswith(".json")
    try:
        text = _checked_text(text)
        return _load_json(text) if is_json else _load_yaml(text)
    except _Refused as refused:
        raise ScenarioError(
            [
                issue(
                    source,
                    refused.en,
                    refused.zh,
                    hint=refused.hint[0],
                    hint_zh=refused.hint[1],
                    line=refused.line,
                )
            ]
        ) from None
    except json.JSONDecodeError as exc:
        raise _syntax_error(source, "JSON", exc.msg, exc.lineno, exc.colno) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own cap, met before the 41st event
            raise ScenarioError([issue(source, *_depth_texts(line), line=line)]) from None
        problem = ", ".join(text for text in (exc.context, exc.problem) if text)
        raise _syntax_error(source, "YAML", problem, line, column) from None
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(text, str) else None
        raise _syntax_error(
            source,
            "YAML",
            f"character #x{exc.character:04x} is not allowed"
            if isinstance(exc.character, int)
            else exc.reason,
            line,
            None,
        ) from None
    except yaml.YAMLError as exc:
        raise _syntax_error(source, "YAML", str(exc).replace("\n", " "), None, None) from None
    except RecursionError:
        raise ScenarioError([issue(source, *_depth_texts(None))]) from None


def read_file(path: Path) -> Any:
    """Read and parse a file: must be a regular file (checked with os.stat before opening: directories, devices,
    FIFOs, sockets are refused without ever opening them), at most MAX_FILE_BYTES (checked before reading; at
    most MAX_FILE_BYTES+1 bytes are read anyway). Raises ScenarioError."""
    return parse_text(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """The bytes of a file, read as `read_file` reads it (regular file, at most MAX_FILE_BYTES)."""
    path = Path(path)
    name = str(path)
    if _in_system_dir(path):
        raise _file_error(
            name,
            "is in a system folder (/proc, /sys or /dev): scenario files are not read there",
            "位于系统目录（/proc、/sys 或 /dev）中，不读取其中的文件",
        )
    try:
        st = os.stat(path)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise _file_error(name, f"cannot read the file: {reason}", f"无法读取文件：{reason}") from None
    kind = _not_regular(st.st_mode)
    if kind:
        raise _file_error(name, kind[0], kind[1])
    if st.st_size > MAX_FILE_BYTES:
        raise _too_big(name, st.st_size, "file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        with os.fdopen(os.open(path, flags), "rb") as f:
            now = os.fstat(f.fileno())
            if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
                raise _file_error(name, "the file was replaced while being opened", "文件在打开时被替换")
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _file_error(
            name, f"cannot read the file: {exc.strerror}", f"无法读取文件：{exc.strerror}"
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(name, len(data), "file")
    return data


def line_of(mapping: Any, key: Any = None) -> int | None:
    """1-based YAML line of a parsed mapping (key None) or of one of its keys;
    None when unknown (JSON, plain dicts)."""
    if not isinstance(mapping, LocatedDict):
        return None
    if key is None:
        return mapping.line
    try:
        return mapping.key_lines.get(key)
    except TypeError:  # an unhashable key cannot be in the mapping
        return None


def contained_path(folder: Path, entry: str) -> Path:
    """Resolve a file name given inside a scenario (community files, calendar files): relative to `folder`, after symbolic links, it must
    stay inside folder.resolve() and be an existing regular file outside /proc, /sys and /dev. Raises
    OutsideFolder otherwise. The refused file is never opened, so no message can show any of its content."""
    shown = f"'{entry}'"
    if not isinstance(entry, str) or not entry.strip() or "\x00" in entry:
        raise OutsideFolder(f"{shown} is not a file name", f"{shown} 不是文件名")
    if Path(entry).is_absolute() or entry.startswith(("/", "\\")):
        raise OutsideFolder(
            f"{shown} is an absolute path; give a path relative to the file that names it",
            f"{shown} 是绝对路径；请写相对于引用它的文件的路径",
        )
    try:
        base = Path(folder).resolve()
        target = (base / entry).resolve(strict=False)  # a missing file is reported below, after containment
    except (OSError, RuntimeError, ValueError):
        raise OutsideFolder(
            f"{shown} cannot be resolved (a loop of symbolic links?)", f"{shown} 无法解析（符号链接循环？）"
        ) from None
    if not target.is_relative_to(base):
        raise OutsideFolder(f"{shown} leads outside the folder {base}", f"{shown} 指向文件夹 {base} 之外")
    if _in_system_dir(target) or _in_system_dir(Path(folder) / entry):
        raise OutsideFolder(
            f"{shown} is in a system folder (/proc, /sys or /dev)",
            f"{shown} 位于系统目录（/proc、/sys 或 /dev）中",
        )
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        raise OutsideFolder(f"{shown} does not exist in {base}", f"{base} 中不存在 {shown}") from None
    except OSError as exc:
        raise OutsideFolder(
            f"{shown} cannot be read: {exc.strerror}", f"{shown} 无法读取：{exc.strerror}"
        ) from None
    kind = _not_regular(mode)
    if kind:
        raise OutsideFolder(f"{shown} {kind[0]}", f"{shown} {kind[1]}")
    return target


# ---------------------------------------------------------------- text and JSON


def _checked_text(text: str | bytes) -> str:
    """UTF-8 text within the size cap, without a leading BOM and without lone surrogates."""
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise _Refused(*_size_texts(len(text), "text"))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = text.count(b"\n", 0, exc.start) + 1
            raise _Refused(
                f"not UTF-8 text (the first bad byte is on line {line})",
                f"不是 UTF-8 文本（第{line}行起有无法识别的字节）",
                line,
                ("save the file as UTF-8", "请将文件另存为 UTF-8 编码"),
            ) from None
    else:
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:
            raise _surrogate(text.count("\n", 0, exc.start) + 1) from None
        if size > MAX_FILE_BYTES:
            raise _Refused(*_size_texts(size, "text"))
    return text.removeprefix("\ufeff")


def _load_json(text: str) -> Any:
    data = json.loads(
        text, object_pairs_hook=_json_object, parse_constant=_json_constant, parse_int=_json_int
    )
    stack: list[tuple[Any, int]] = [(data, 1)]  # checked after parsing: nesting depth and "\ud800" escapes
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and not _encodable(value):
                raise _surrogate(None)
        elif isinstance(value, (list, dict)):
            if depth > MAX_DEPTH:
                raise _Refused(*_depth_texts(None))
            items = value if isinstance(value, list) else [*value, *value.values()]
            stack.extend((item, depth + 1) for item in items)
    return data


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _Refused(
                f"key '{_short(key)}' appears twice in one object; the second would replace the first",
                f"同一对象中键 '{_short(key)}' 出现两次，后者会覆盖前者",
                None,
                ("keep only one of them", "只保留其中一个"),
            )
        data[key] = value
    return data


def _json_constant(name: str) -> Any:
    raise _Refused(
        f"{name} is not a number a scenario may hold; write a finite number",
        f"{name} 不是情景文件允许的数字；请写有限的数值",
    )


def _json_int(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:
        raise _Refused(*_long_number_texts(None)) from None


# ---------------------------------------------------------------- YAML


def _make_loader(base: type) -> type:
    """A loader class on `base` (yaml.CSafeLoader or yaml.SafeLoader): dates as text, standard tags only."""

    class Loader(base):  # type: ignore[misc, valid-type]
        # no timestamp (dates stay text) and no '=' value tag (it is a string)
        yaml_implicit_resolvers: ClassVar[dict] = {
            first: [(tag, rx) for tag, rx in resolvers if tag not in (_T + "timestamp", _T + "value")]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }
        yaml_constructors: ClassVar[dict] = {
            _T + "str": _construct_str,
            _T + "timestamp": _construct_str,
            _T + "int": _scalar("integer", "整数", yaml.SafeLoader.construct_yaml_int),
            _T + "float": _scalar("number", "数字", yaml.SafeLoader.construct_yaml_float),
            _T + "bool": _scalar("true/false", "布尔值（true/false）", yaml.SafeLoader.construct_yaml_bool),
            _T + "null": _scalar("null", "空值（null）", yaml.SafeLoader.construct_yaml_null),
            _T + "seq": yaml.SafeLoader.construct_yaml_seq,
            _T + "map": _construct_map,
            None: _construct_other,
        }
        yaml_multi_constructors: ClassVar[dict] = {}

        def __init__(self, stream: str):
            super().__init__(stream)
            self._plain_tags: dict[str, str] = {}

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            """Resolver.resolve with the tag of each plain scalar text remembered (a third of the parse time
            otherwise goes to the regular expressions). Same result: there are no path resolvers."""
            if kind is not ScalarNode or not implicit[0]:
                return super().resolve(kind, value, implicit)
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._plain_tags) < 100_000:
                    self._plain_tags[value] = tag
            return tag

    return Loader


def _load_yaml(text: str) -> Any:
    anchored = _check_events(text)
    if not anchored:
        try:
            return _from_events(text)
        except _Slow:
            pass
    loader = _Loader(text)
    try:
        loader.deep_construct = True  # anchored mappings are complete when merged (depth is capped already)
        node = loader.get_single_node()
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


class _Slow(Exception):
    """Raised by `_fast_construct` where the full constructor must speak (a merge key, a duplicate, a
    non-scalar key, an unusual tag): it gives the same data or the same refusal."""


_STR, _SEQ, _MAP = _T + "str", _T + "seq", _T + "map"


def _from_events(text: str) -> Any:
    """The document's data as the composer and constructor build it (LocatedDicts with their lines, text
    scalars as text, other scalars through the registered constructors with their refusals), straight
    from the parser's events: composing nodes first is most of a large scenario's parse time. Raises
    `_Slow` where the full path must speak (an alias, a merge key, a duplicate or non-text key, a tag
    on a collection, a second document): it gives the same data or the same refusal."""
    loader = _Loader(text)
    stack: list[list[Any]] = []  # [container, key awaiting its value (or _NO_KEY), that key's line]
    root: Any = None
    documents = 0
    try:
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(ScalarNode, event.value, event.implicit)
                if tag == _STR:
                    value: Any = event.value
                elif tag == _MERGE:
                    raise _Slow
                else:
                    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
                    value = loader.construct_object(node, deep=True)
                top = stack[-1] if stack else None
                if top is not None and type(top[0]) is LocatedDict and top[1] is _NO_KEY:
                    if value in top[0] or not isinstance(value, Hashable):
                        raise _Slow
                    top[1], top[2] = value, event.start_mark.line + 1
                    continue
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.tag not in (None, "!", _MAP if kind is yaml.MappingStartEvent else _SEQ):
                    raise _Slow
                if stack and type(stack[-1][0]) is LocatedDict and stack[-1][1] is _NO_KEY:
                    raise _Slow  # a collection as a key
                if kind is yaml.MappingStartEvent:
                    value = LocatedDict()
                    value.line = event.start_mark.line + 1
                else:
                    value = []
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                continue
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Slow
                continue
            elif kind is yaml.AliasEvent:
                raise _Slow
            else:  # stream start/end, document end
                continue
            if not stack:
                root = value
            else:
                top = stack[-1]
                if type(top[0]) is LocatedDict:
                    top[0][top[1]] = value
                    top[0].key_lines[top[1]] = top[2]
                    top[1] = _NO_KEY
                else:
                    top[0].append(value)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                stack.append([value, _NO_KEY, 0])
    finally:
        loader.dispose()
    return root


_NO_KEY = object()


def _check_events(text: str) -> bool:
    """Refuse, before anything is composed: nesting deeper than MAX_DEPTH, non-standard tags, recursive aliases
    and aliases adding more than ALIAS_BUDGET nodes. One linear pass over the parser's events; each anchor's
    expanded size and height are remembered, so aliases are counted, never expanded."""
    anchors: dict[str, tuple[int, int]] = {}  # anchor -> (expanded node count, nesting height)
    open_nodes: list[
        list[Any]
    ] = []  # open collections: [anchor, expanded count at start, height of children]
    expanded = nodes = 0  # expanded node count so far; the document's own nodes
    loader = _Loader(text)
    try:
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is yaml.ScalarEvent:  # the common case first, with as little work as possible
                expanded += 1
                nodes += 1
                if event.tag is not None or event.anchor is not None or event.style == '"':
                    _check_tag(event)
                    if event.style == '"' and not event.value.isascii() and not _encodable(event.value):
                        raise _surrogate(event.start_mark.line + 1)
                    if event.anchor is not None:
                        anchors[event.anchor] = (1, 0)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(open_nodes) >= MAX_DEPTH:
                    raise _Refused(*_depth_texts(event.start_mark.line + 1), event.start_mark.line + 1)
                _check_tag(event)
                open_nodes.append([event.anchor, expanded, 0])
                expanded += 1
                nodes += 1
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                anchor, before, height = open_nodes.pop()
                if anchor is not None:
                    anchors[anchor] = (expanded - before, height + 1)
                if open_nodes:
                    open_nodes[-1][2] = max(open_nodes[-1][2], height + 1)
            elif kind is yaml.AliasEvent:
                line = event.start_mark.line + 1
                if any(entry[0] == event.anchor for entry in open_nodes):
                    raise _Refused(
                        f"the alias *{event.anchor} on line {line} is inside the node it names (a loop)",
                        f"第{line}行的别名 *{event.anchor} 位于它所引用的节点之内（循环引用）",
                        line,
                    )
                size, height = anchors.get(
                    event.anchor, (1, 0)
                )  # an unknown alias is reported by the composer
                expanded += size
                if expanded - nodes > ALIAS_BUDGET:
                    raise _Refused(
                        f"aliases (*name) would add more than {ALIAS_BUDGET:,} nodes, the alias limit "
                        f"(reached on line {line})",
                        f"别名（*名称）展开后将增加超过 {ALIAS_BUDGET:,} 个节点，"
                        f"超过别名上限（在第{line}行达到）",
                        line,
                        ("write the data out instead of nesting aliases", "请直接写出数据，不要层层嵌套别名"),
                    )
                if open_nodes:
                    if len(open_nodes) + height > MAX_DEPTH:
                        raise _Refused(*_depth_texts(line), line)
                    open_nodes[-1][2] = max(open_nodes[-1][2], height)
    finally:
        loader.dispose()
    return bool(anchors)


def _check_tag(event: Any) -> None:
    """Only the standard tags, each on its kind of node (no `!!str [1]`); `!` alone is the non-specific tag."""
    if event.tag is None or event.tag == "!" or event.tag in _ALLOWED_TAGS[type(event)]:
        return
    line = event.start_mark.line + 1
    tag = event.tag.replace(_T, "!!")
    if any(event.tag in tags for tags in _ALLOWED_TAGS.values()):
        raise _Refused(
            f"the tag '{tag}' on line {line} does not fit this kind of value",
            f"第{line}行的标签 '{tag}' 与该值的类型不符",
            line,
            ("remove the tag", "删除该标签"),
        )
    raise _Refused(
        f"the tag '{tag}' on line {line} is not allowed; only the standard tags "
        "!!str, !!int, !!float, !!bool, !!null, !!seq and !!map are",
        f"第{line}行的标签 '{tag}' 不允许使用；只能用标准标签 !!str、!!int、!!float、"
        "!!bool、!!null、!!seq、!!map",
        line,
        ("remove the tag", "删除该标签"),
    )


def _construct_map(loader: Any, node: MappingNode) -> Iterator[LocatedDict]:
    data = LocatedDict()
    data.line = node.start_mark.line + 1
    yield data
    merges = [(k, v) for k, v in node.value if k.tag == _MERGE]
    if len(merges) > 1:
        raise _duplicate("<<", merges[1][0].start_mark.line + 1, merges[0][0].start_mark.line + 1)
    for key_node, value_node in merges:
        value = loader.construct_object(value_node, deep=True)
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(s, LocatedDict) for s in sources):
            line = key_node.start_mark.line + 1
            raise _Refused(
                f"the merge key << on line {line} takes a mapping or a list of mappings",
                f"第{line}行的合并键 << 只能接映射或映射列表",
                line,
            )
        for source in reversed(sources):  # the earlier mapping wins
            data.update(source)
            data.key_lines.update(source.key_lines)
    written: set[Any] = set()
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            continue
        line = key_node.start_mark.line + 1
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise _Refused(
                f"the key on line {line} is a list or mapping, which cannot be a key",
                f"第{line}行的键是列表或映射，不能作为键",
                line,
            ) from None
        if key in written:
            raise _duplicate(key, line, data.key_lines[key])
        written.add(key)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_str(loader: Any, node: ScalarNode) -> str:
    return loader.construct_scalar(node)


_Constructor = Callable[[Any, ScalarNode], Any]


def _scalar(what: str, what_zh: str, convert: _Constructor) -> _Constructor:
    """A scalar constructor whose bad values (`!!int abc`, a 5,000-digit number) are refusals with their line."""

    def construct(loader: Any, node: ScalarNode) -> Any:
        try:
            return convert(loader, node)
        except (ValueError, TypeError, KeyError, OverflowError):
            line = node.start_mark.line + 1
            digits = sum(c.isdigit() for c in str(node.value))
            if what == "integer" and digits > (sys.get_int_max_str_digits() or digits):
                raise _Refused(*_long_number_texts(line), line) from None
            raise _Refused(
                f"'{_short(node.value)}' on line {line} is not a valid {what}",
                f"第{line}行的 '{_short(node.value)}' 不是有效的{what_zh}",
                line,
            ) from None

    return construct


def _construct_other(loader: Any, node: Node) -> Any:
    line = node.start_mark.line + 1
    raise _Refused(
        f"the tag '{node.tag}' on line {line} cannot be used here",
        f"第{line}行不能使用标签 '{node.tag}'",
        line,
    )


_Loader: type = _make_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# ---------------------------------------------------------------- helpers


def _in_system_dir(path: Path) -> bool:
    candidates = [path.absolute()]
    with contextlib.suppress(OSError, RuntimeError, ValueError):
        candidates.append(path.resolve())
    return any(len(p.parts) > 1 and p.parts[0] == "/" and p.parts[1] in _SYSTEM_DIRS for p in candidates)


def _not_regular(mode: int) -> tuple[str, str] | None:
    """(English, Chinese) of what a non-regular file is; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file", "是文件夹，不是文件"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file", "是命名管道（FIFO），不是普通文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file", "是设备，不是普通文件"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file", "是套接字，不是普通文件"
    return "is not a regular file", "不是普通文件"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _file_error(name: str, en: str, zh: str) -> ScenarioError:
    return ScenarioError(
        [
            issue(
                name,
                en,
                zh,
                hint="give the path of a scenario file (.yaml or .json)",
                hint_zh="请给出情景文件（.yaml 或 .json）的路径",
            )
        ]
    )


def _size_texts(size: int, what: str) -> tuple[str, str]:
    what_zh = "文件" if what == "file" else "文本"
    return (
        f"the {what} is {size / _MB:.1f} MB, more than the {MAX_FILE_BYTES // _MB} MB limit",
        f"{what_zh}大小 {size / _MB:.1f} MB，超过 {MAX_FILE_BYTES // _MB} MB 上限",
    )


def _too_big(name: str, size: int, what: str) -> ScenarioError:
    en, zh = _size_texts(size, what)
    return ScenarioError(
        [
            issue(
                name,
                en,
                zh,
                hint="split the sub-district into community files",
                hint_zh="请把街道拆分为多个社区文件",
            )
        ]
    )


def _depth_texts(line: int | None) -> tuple[str, str]:
    where, where_zh = (f" (line {line})", f"（第{line}行）") if line else ("", "")
    return (
        f"mappings and lists are nested deeper than the limit of {MAX_DEPTH} levels{where}",
        f"映射与列表嵌套超过 {MAX_DEPTH} 层上限{where_zh}",
    )


def _long_number_texts(line: int | None) -> tuple[str, str]:
    limit = sys.get_int_max_str_digits()
    where, where_zh = (f" on line {line}", f"第{line}行的") if line else ("", "")
    return (f"a number{where} has more than {limit} digits, the limit", f"{where_zh}数字超过 {limit} 位上限")


def _surrogate(line: int | None) -> _Refused:
    where, where_zh = (f" on line {line}", f"第{line}行") if line else ("", "")
    return _Refused(
        f"the text holds a lone surrogate code point{where} (broken Unicode)",
        f"文本{where_zh}含有孤立的代理码位（Unicode 损坏）",
        line,
        ("save the file as UTF-8", "请将文件另存为 UTF-8 编码"),
    )


def _duplicate(key: Any, line: int, first: int | None) -> _Refused:
    return _Refused(
        f"the key '{_short(key)}' appears twice in one mapping, on lines {first} and {line}; "
        "the second would replace the first",
        f"同一映射中键 '{_short(key)}' 出现两次（第{first}行和第{line}行），后者会覆盖前者",
        line,
        ("keep only one of them", "只保留其中一个"),
    )


def _syntax_error(
    source: str, kind: str, problem: str, line: int | None, column: int | None
) -> ScenarioError:
    where = f" at line {line}" + (f", column {column}" if column else "") if line else ""
    where_zh = f"（第{line}行" + (f"第{column}列" if column else "") + "）" if line else ""
    return ScenarioError(
        [
            issue(
                source,
                f"not valid {kind}{where}: {problem}",
                f"{kind} 语法错误{where_zh}：{problem}",
                hint=_SYNTAX_HINT[0],
                hint_zh=_SYNTAX_HINT[1],
                line=line,
            )
        ]
    )
