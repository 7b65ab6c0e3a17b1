"""planner/loader.py: bounded, safe reading of untrusted YAML/JSON scenario files.

Each requirement of the loader has a test here that fails without it: the C-based safe loader, dates kept as
text, only standard tags (nothing in a tag runs), duplicate keys refused, bounded alias expansion, capped
nesting, numbers, encodings, syntax errors with lines, LocatedDict lines, speed, and the file checks of
read_file and contained_path (no hang, nothing opened that is not a regular file inside the folder).
"""

from __future__ import annotations

import copy
import json
import os
import pickle
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import SCENARIOS

from planner import loader
from planner.issues import ScenarioError
from planner.loader import (
    ALIAS_BUDGET,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LocatedDict,
    OutsideFolder,
    contained_path,
    line_of,
    parse_text,
    read_file,
)
from planner.scenario import Community, parse_scenario

HAS_LIBYAML = hasattr(yaml, "CSafeLoader")


@pytest.fixture(params=["C", "Python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the C-based loader and with the pure-Python fallback."""
    if request.param == "C" and not HAS_LIBYAML:
        pytest.skip("PyYAML without libyaml")
    base = yaml.CSafeLoader if request.param == "C" else yaml.SafeLoader
    monkeypatch.setattr(loader, "_Loader", loader._make_loader(base))
    return request.param


def refused(text: str | bytes, source: str = "t.yaml") -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_text(text, source)
    assert info.value.issues and all(i.message and i.message_zh for i in info.value.issues)
    return info.value


def big_scenario_text(n: int = 5000, seed: int = 1) -> str:
    """A valid community of `n` people, each with 12 scalar fields and two lists, as block YAML."""
    rng = random.Random(seed)
    lines = ["kind: community", "id: big", "name: 大社区", "reference_date: 2020-12-10", "people:"]
    for i in range(n):
        lines += [
            f"  - id: p{i:05d}",
            f"    name: 人{i}",
            f"    gender: {rng.choice('FM')}",
            f"    birth_date: {rng.randint(1960, 1998)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "    ethnicity: 汉族",
            f"    education: {rng.choice(['college', 'bachelor', 'master'])}",
            "    party_member: true",
            "    party_joined: 2019-07-01",
            "    resident_voter: true",
            "    joint_review: passed",
            f"    support: {rng.randint(0, 100)}",
            "    waivers: []",
            "    stands_for: [party_committee, residents_committee]",
            "    tags: [veteran, grid_worker]",
        ]
    return "\n".join(lines) + "\n"


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- 1. loader, dates, tags


@pytest.mark.skipif(not HAS_LIBYAML, reason="PyYAML without libyaml")
def test_yaml_uses_the_c_safe_loader() -> None:
    assert issubclass(loader._Loader, yaml.CSafeLoader)


def test_dates_stay_text_and_a_bad_date_is_a_field_error(yaml_loader: str) -> None:
    data = parse_text(
        "a: 2020-12-10\nb: 2020-13-45\nc: 2001-12-14t21:59:43.10-05:00\nd: !!timestamp 2020-01-01\n", "t.yaml"
    )
    assert data == {
        "a": "2020-12-10",
        "b": "2020-13-45",
        "c": "2001-12-14t21:59:43.10-05:00",
        "d": "2020-01-01",
    }
    bad = SCENARIOS / "bad" / "malformed_date.yaml"
    with pytest.raises(ScenarioError) as info:
        parse_scenario(parse_text(bad.read_text(encoding="utf-8"), str(bad)), source=str(bad))
    assert [(i.field, "1980-13-45" in i.message) for i in info.value.issues] == [("birth_date", True)]


def test_the_standard_tags_are_allowed(yaml_loader: str) -> None:
    text = (
        "a: !!str 1\nb: !!int '3'\nc: !!float 1\nd: !!bool yes\ne: !!null ''\nf: !!seq [x]\n"
        "g: !!map {k: v}\nh: ! 12\ni: !<tag:yaml.org,2002:int> 7\nj: =\n"
    )
    assert parse_text(text, "t.yaml") == {
        "a": "1",
        "b": 3,
        "c": 1.0,
        "d": True,
        "e": None,
        "f": ["x"],
        "g": {"k": "v"},
        "h": 12,
        "i": 7,
        "j": "=",
    }


def test_nothing_in_a_tag_runs(yaml_loader: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    error = refused(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()
    assert error.issues[0].line == 1 and "!!python/object/apply:os.system" in error.issues[0].message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/name:os.system ''\n",
        "a: !!python/tuple [1, 2]\n",
        "? !!python/tuple [a, b]\n: c\n",
        "a: !!binary aGk=\n",
        "a: !!set {x: null}\n",
        "a: !!omap [{x: 1}]\n",
        "a: !!pairs [{x: 1}]\n",
        "a: !!value x\n",
        "a: !custom x\n",
        "a: !<tag:example.com,2000:thing> x\n",
        "%TAG !e! tag:example.com,2000:\n---\na: !e!thing x\n",
        "a: !!str [1]\n",  # a standard tag on the wrong kind of node
        "a: !!map x\n",
        "a: !!merge x\n",
    ],
)
def test_other_tags_are_refused(yaml_loader: str, text: str) -> None:
    error = refused(text)
    assert error.issues[0].line is not None and "Traceback" not in str(error)


@pytest.mark.parametrize("text", ["a: !!int abc\n", "a: !!bool maybe\n", "a: !!float x\n"])
def test_bad_explicit_scalars_are_refused_with_their_line(yaml_loader: str, text: str) -> None:
    assert refused("x: 1\n" + text).issues[0].line == 2


# ---------------------------------------------------------------- 2. duplicate and odd keys


def test_duplicate_yaml_key_names_the_key_and_its_lines(yaml_loader: str) -> None:
    error = refused("people:\n  - id: p1\n    name: 甲\n    id: p2\n")
    assert error.issues[0].line == 4
    assert "'id'" in error.issues[0].message and "lines 2 and 4" in error.issues[0].message
    assert "'id'" in error.issues[0].message_zh
    refused("a: 1\nb: {x: 1, x: 2}\n")
    refused("yes: 1\ntrue: 2\n")  # equal after resolution


def test_duplicate_json_key_is_refused() -> None:
    error = refused('{"a": 1, "b": {"x": 1, "x": 2}}', "t.json")
    assert "'x'" in error.issues[0].message


def test_merge_keys(yaml_loader: str) -> None:
    text = (
        "d: &d {x: 1, y: 2}\n"
        "p: {<<: *d, y: 3}\n"  # written keys override merged ones
        "q:\n  <<: [{x: 9}, *d]\n"  # of several merged mappings, the earlier wins
        "r: {a: {b: &deep {k: 1}}}\ns: {<<: *deep}\n"
    )
    data = parse_text(text, "t.yaml")
    assert data["p"] == {"x": 1, "y": 3} and data["q"] == {"x": 9, "y": 2} and data["s"] == {"k": 1}
    assert line_of(data["p"], "x") == 1 and line_of(data["p"], "y") == 2
    refused("<<: {a: 1}\n<<: {b: 1}\n")  # `<<` twice is a duplicate key
    refused("a: {<<: 5}\n")
    refused("a: {<<: [5]}\n")


def test_non_string_keys_are_kept_and_unhashable_keys_refused(yaml_loader: str) -> None:
    assert parse_text("1: x\nnull: y\n2.5: z\n", "t.yaml") == {1: "x", None: "y", 2.5: "z"}
    for text in ["[a]: b\n", "{a: 1}: b\n", "? [a, b]\n: c\n", "x: &m {a: 1}\n*m : b\n"]:
        assert "list or mapping" in refused(text).issues[0].message


# ---------------------------------------------------------------- 3. aliases


def test_billion_laughs_is_refused_at_once(yaml_loader: str) -> None:
    text = billion_laughs()
    assert len(text) < 1600
    start = time.perf_counter()
    error = refused(text)
    assert time.perf_counter() - start < 0.5
    assert (
        f"{ALIAS_BUDGET:,}" in error.issues[0].message and f"{ALIAS_BUDGET:,}" in error.issues[0].message_zh
    )


def test_alias_budget_counts_expanded_nodes(yaml_loader: str) -> None:
    scalar = "s: &s x\nl: [" + ", ".join(["*s"] * ALIAS_BUDGET) + "]\n"
    assert len(parse_text(scalar, "t.yaml")["l"]) == ALIAS_BUDGET
    refused(scalar.replace("[", "[*s, "))
    pair = "m: &m [a, b]\nl: [" + ", ".join(["*m"] * (ALIAS_BUDGET // 3)) + "]\n"  # 3 nodes per alias
    parse_text(pair, "t.yaml")
    refused(pair.replace("[*m", "[*m, *m"))


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a [1, [2, {c: *a}]]\n"])
def test_recursive_alias_is_refused(yaml_loader: str, text: str) -> None:
    assert "loop" in refused(text).issues[0].message


def test_aliases_cannot_nest_deeper_than_the_cap(yaml_loader: str) -> None:
    def chain(n: int) -> str:
        return "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, n))

    parse_text(chain(MAX_DEPTH - 1), "t.yaml")  # the root mapping and MAX_DEPTH - 1 lists
    assert f"{MAX_DEPTH} levels" in refused(chain(MAX_DEPTH)).issues[0].message


# ---------------------------------------------------------------- 4. nesting depth


def nested_flow(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "text",
    [
        nested_flow(5000),
        "- " * 5000 + "x\n",
        "{a: " * 5000 + "1" + "}" * 5000,
        "".join(" " * i + "a:\n" for i in range(MAX_DEPTH + 1)) + " " * 42 + "b: 1\n",
    ],
)
def test_deep_yaml_is_refused_naming_the_limit(yaml_loader: str, text: str) -> None:
    error = refused(text)
    assert (
        f"{MAX_DEPTH} levels" in error.issues[0].message and f"{MAX_DEPTH} 层" in error.issues[0].message_zh
    )


def test_depth_cap_is_exact(yaml_loader: str) -> None:
    assert parse_text(nested_flow(MAX_DEPTH), "t.yaml") is not None
    refused(nested_flow(MAX_DEPTH + 1))
    assert parse_text(nested_flow(MAX_DEPTH), "t.json") is not None
    refused(nested_flow(MAX_DEPTH + 1), "t.json")


@pytest.mark.parametrize(
    "text",
    [
        nested_flow(5000),
        '{"a":' * 5000 + "1" + "}" * 5000,
        '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1),
        "[" * 1_000_000,
    ],
)
def test_deep_json_is_refused_naming_the_limit(text: str) -> None:
    assert f"{MAX_DEPTH} levels" in refused(text, "t.json").issues[0].message


def test_very_deep_text_does_not_crash_the_process() -> None:
    code = (
        "import sys\nfrom planner.issues import ScenarioError\nfrom planner.loader import parse_text\n"
        "for src in ('t.yaml', 't.json'):\n"
        "    for text in ('[' * 100000 + ']' * 100000, '- ' * 100000 + 'x', '{\"a\": ' * 100000):\n"
        "        try:\n            parse_text(text, src)\n        except ScenarioError:\n            pass\n"
        "print('survived')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert run.returncode == 0 and run.stdout.strip() == "survived", run.stderr


# ---------------------------------------------------------------- 5. numbers


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_non_finite_numbers_are_refused(constant: str) -> None:
    assert constant in refused(f'{{"support": [1, {constant}]}}', "t.json").issues[0].message


def test_yaml_non_finite_floats_load(yaml_loader: str) -> None:
    data = parse_text("a: .nan\nb: .inf\nc: -.inf\n", "t.yaml")
    assert data["a"] != data["a"] and data["b"] == float("inf") and data["c"] == float("-inf")


@pytest.mark.parametrize("source", ["t.yaml", "t.json"])
def test_a_5000_digit_integer_is_refused(yaml_loader: str, source: str) -> None:
    text = '{"support": ' + "7" * 5000 + "}" if source == "t.json" else "a: 1\nsupport: " + "7" * 5000 + "\n"
    error = refused(text, source)
    assert "digits" in error.issues[0].message and "Traceback" not in str(error)
    if source == "t.yaml":
        assert error.issues[0].line == 2


# ---------------------------------------------------------------- 6. encoding and syntax


@pytest.mark.parametrize("source", ["t.yaml", "t.json"])
def test_bytes_must_be_utf8(source: str) -> None:
    for data in [b'{"a": "\xff"}', '{"a": "中"}'.encode("gbk"), '{"a": 1}'.encode("utf-16")]:
        error = refused(data, source)
        assert "UTF-8" in error.issues[0].message and "UTF-8" in error.issues[0].message_zh


@pytest.mark.parametrize("source", ["t.yaml", "T.JSON"])
def test_a_bom_is_accepted(source: str) -> None:
    assert parse_text(b'\xef\xbb\xbf{"a": 1}', source) == {"a": 1}
    assert parse_text('\ufeff{"a": 1}', source) == {"a": 1}


@pytest.mark.parametrize("text", ['["\\ud800"]', '{"\\udfff": 1}', '{"a": {"b": ["x", "\\ud800y"]}}'])
def test_json_lone_surrogate_escapes_are_refused(text: str) -> None:
    assert "surrogate" in refused(text, "t.json").issues[0].message
    assert parse_text('["\\ud83d\\ude00"]', "t.json") == ["😀"]  # a proper pair is one character


def test_lone_surrogates_in_text_are_refused(yaml_loader: str) -> None:
    assert refused("a: 1\nb: x\ud800\n").issues[0].line == 2
    refused('{"a": "\ud800"}', "t.json")
    refused('a: "\\ud800"\n')  # the escape: libyaml refuses it, the Python reader lets it through
    refused(b"a: 1\n" + "b: \ud800".encode("utf-8", "surrogatepass"))


def test_yaml_syntax_error_has_line_column_and_hint(yaml_loader: str) -> None:
    error = refused("a: 1\n  b: 2\n")
    found = error.issues[0]
    assert found.line == 2 and "line 2, column 4" in found.message and "第2行第4列" in found.message_zh
    assert found.hint == "fix the syntax at the line shown" and found.hint_zh == "按提示行号修改语法"
    bad = SCENARIOS / "bad" / "yaml_syntax.yaml"
    assert refused(bad.read_text(encoding="utf-8")).issues[0].line == 8


def test_json_syntax_error_has_line_column_and_hint() -> None:
    found = refused('{\n  "a": 1,\n  "b": }\n', "t.json").issues[0]
    assert found.line == 3 and "line 3, column 8" in found.message and found.hint_zh == "按提示行号修改语法"


def test_text_over_the_size_cap_is_refused() -> None:
    error = refused("a: " + "x" * MAX_FILE_BYTES)
    assert "10 MB limit" in error.issues[0].message and "10 MB 上限" in error.issues[0].message_zh


# ---------------------------------------------------------------- 7. lines and plain-dict behaviour


def test_line_of_keys_and_mappings(yaml_loader: str) -> None:
    text = (
        "kind: community\npeople:\n  - {id: p1, birth_date: 1980-01-01}\n  - id: p2\n    birth_date: 1981-01-01\n"
        "  - id: p3\n\n    name: 丙\n    birth_date: 1982-01-01\n"
    )
    data = parse_text(text, "t.yaml")
    assert line_of(data["people"][2], "birth_date") == 9 and line_of(data["people"][2]) == 6
    assert (
        line_of(data["people"][0], "birth_date") == 3 and line_of(data, "people") == 2 and line_of(data) == 1
    )
    assert line_of(data["people"][2], "missing") is None and line_of(data, ["unhashable"]) is None
    assert line_of({"a": 1}, "a") is None and line_of(parse_text('{"a": 1}', "t.json"), "a") is None
    assert line_of(None) is None


def test_located_dicts_behave_as_plain_dicts(yaml_loader: str) -> None:
    text = (SCENARIOS / "nuoenjiya.yaml").read_text(encoding="utf-8")
    data = parse_text(text, "nuoenjiya.yaml")
    assert type(data) is LocatedDict and isinstance(data["people"][0], LocatedDict)
    plain = json.loads(json.dumps(data))
    assert (
        data == plain
        and plain == data
        and json.dumps(data, sort_keys=True) == json.dumps(plain, sort_keys=True)
    )
    for copied in [pickle.loads(pickle.dumps(data)), copy.deepcopy(data), copy.copy(data)]:
        assert copied == data and line_of(copied["people"][3], "name") == line_of(data["people"][3], "name")
    scenario = parse_scenario(data, source="nuoenjiya.yaml")
    assert isinstance(scenario, Community) and scenario == parse_scenario(plain, source="nuoenjiya.yaml")


def test_same_data_as_the_former_loader(yaml_loader: str) -> None:
    class Former(yaml.SafeLoader):
        pass

    Former.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    files = [p for p in sorted(SCENARIOS.rglob("*.yaml")) if "bad" not in p.parts]  # bad/ holds attacks too
    assert len(files) >= 3
    texts = [p.read_text(encoding="utf-8") for p in files] + [big_scenario_text(50)]
    for text in texts:
        assert parse_text(text, "t.yaml") == yaml.load(text, Loader=Former)


# ---------------------------------------------------------------- 8. speed


def test_5000_people_parse_quickly(capsys: pytest.CaptureFixture[str]) -> None:
    text = big_scenario_text()
    start = time.perf_counter()
    data = parse_text(text, "big.yaml")
    seconds = time.perf_counter() - start
    with capsys.disabled():
        print(
            f"\n[bench] 5,000 people, {len(text) / 1e6:.1f} MB of YAML: {seconds:.2f} s with {loader._Loader.__mro__[1].__name__}"
        )
    assert len(data["people"]) == 5000 and line_of(data["people"][4999], "tags") == text.count("\n")
    assert data["people"][7]["birth_date"].count("-") == 2
    assert seconds < 30  # a guard against a quadratic loader only: speed is measured in benchmarks/, not here


# ---------------------------------------------------------------- 9. read_file


@pytest.fixture
def no_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail the test if the loader opens anything."""

    def refuse_open(*args: object, **kwargs: object) -> int:
        raise AssertionError(f"opened {args[0]}")

    monkeypatch.setattr(os, "open", refuse_open)
    yield


def read_refused(path: Path) -> ScenarioError:
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        read_file(path)
    assert time.perf_counter() - start < 1
    assert str(path) in str(info.value) and info.value.issues[0].message_zh
    return info.value


def test_read_file_reads_regular_files_and_links_to_them(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(b"\xef\xbb\xbfkind: community\nid: x\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "a.yaml")
    (tmp_path / "a.JSON").write_text('{"id": "x"}', encoding="utf-8")
    assert (
        read_file(tmp_path / "a.yaml")
        == read_file(tmp_path / "link.yaml")
        == {"kind": "community", "id": "x"}
    )
    assert read_file(tmp_path / "a.JSON") == {"id": "x"}


def test_read_file_refuses_what_is_not_a_regular_file(tmp_path: Path, no_open: None) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert "FIFO" in read_refused(fifo).issues[0].message
    assert "folder" in read_refused(tmp_path).issues[0].message
    (tmp_path / "dir_link.yaml").symlink_to(tmp_path)
    assert "folder" in read_refused(tmp_path / "dir_link.yaml").issues[0].message
    if Path("/dev/zero").exists():
        read_refused(Path("/dev/zero"))
    if Path("/proc/self/environ").exists():
        read_refused(Path("/proc/self/environ"))
        (tmp_path / "env.yaml").symlink_to("/proc/self/environ")
        read_refused(tmp_path / "env.yaml")
    assert "cannot read" in read_refused(tmp_path / "missing.yaml").issues[0].message


def test_read_file_refuses_a_file_over_the_cap_before_reading(tmp_path: Path, no_open: None) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(int(MAX_FILE_BYTES * 1.23))
    error = read_refused(big)
    assert "12.3 MB, more than the 10 MB limit" in error.issues[0].message
    assert "文件大小 12.3 MB，超过 10 MB 上限" in error.issues[0].message_zh


# ---------------------------------------------------------------- contained_path


SECRET = "SECRET-CONTENT-9f2c"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "sub"
    (root / "more").mkdir(parents=True)
    (root / "a.yaml").write_text("id: a\n", encoding="utf-8")
    (root / "more" / "b.yaml").write_text("id: b\n", encoding="utf-8")
    (tmp_path / "outside.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    (root / "inside_link.yaml").symlink_to(root / "more" / "b.yaml")
    (root / "outside_link.yaml").symlink_to(tmp_path / "outside.yaml")
    (root / "loop.yaml").symlink_to(root / "loop.yaml")
    (root / "dir_link").symlink_to(root / "more")
    os.mkfifo(root / "pipe.yaml")
    return root


def test_contained_path_accepts_files_in_the_folder(folder: Path) -> None:
    assert contained_path(folder, "a.yaml") == folder.resolve() / "a.yaml"
    assert contained_path(folder, "more/b.yaml") == folder.resolve() / "more" / "b.yaml"
    assert contained_path(folder, "./more/../a.yaml") == folder.resolve() / "a.yaml"
    assert contained_path(folder, "inside_link.yaml") == folder.resolve() / "more" / "b.yaml"
    assert contained_path(folder, "dir_link/b.yaml") == folder.resolve() / "more" / "b.yaml"


@pytest.mark.parametrize(
    ("entry", "word"),
    [
        ("/etc/passwd", "absolute"),
        ("../outside.yaml", "outside the folder"),
        ("more/../../outside.yaml", "outside the folder"),
        ("outside_link.yaml", "outside the folder"),
        ("missing.yaml", "does not exist"),
        ("more", "folder"),
        ("dir_link", "folder"),
        ("pipe.yaml", "FIFO"),
        ("loop.yaml", "symbolic links"),
        ("", "not a file name"),
        ("a\x00.yaml", "not a file name"),
    ],
)
def test_contained_path_refuses(folder: Path, no_open: None, entry: str, word: str) -> None:
    with pytest.raises(OutsideFolder) as info:
        contained_path(folder, entry)
    assert isinstance(info.value, ValueError)
    assert (
        word in info.value.message_en and info.value.message_zh and str(info.value) == info.value.message_en
    )
    assert SECRET not in info.value.message_en + info.value.message_zh


@pytest.mark.skipif(
    not Path("/proc/self/environ").exists() or not Path("/dev/zero").exists(), reason="Linux only"
)
def test_contained_path_refuses_proc_and_dev(tmp_path: Path, no_open: None) -> None:
    for folder, entry in [
        (Path("/proc/self"), "environ"),
        (Path("/dev"), "zero"),
        (Path("/proc"), "self/environ"),
    ]:
        with pytest.raises(OutsideFolder) as info:
            contained_path(folder, entry)
        assert "system folder" in info.value.message_en
