"""Hostile and multi-file uploads in the Streamlit app (AppTest): the app survives any upload.

Each bad upload shows its issues in the page's language (record numbered from 1 with the person id,
the YAML line), never a traceback; the session keeps its previous scenario; an upload never reads a
file on the server. A sub-district uploaded with the community files it names loads.
"""

from __future__ import annotations

import builtins
import io
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SCENARIOS = ROOT / "scenarios"
PWNED = Path("/tmp/pwned")
CJK = re.compile(r"[\u4e00-\u9fff]")


def upload(app: AppTest, *files: tuple[str, bytes]) -> AppTest:
    app.file_uploader(key="scenario_upload").set_value(
        [(name, data, "application/x-yaml") for name, data in files]
    )
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def page_text(app: AppTest) -> str:
    """Every text the page shows, tables included."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
        "exception",
        "code",
        "text",
        "metric",
        "json",
    ):
        for element in getattr(app, kind, []):
            parts.append(str(getattr(element, "value", "")))
            parts.append(str(getattr(element, "label", "")))
    for frame in app.dataframe:
        parts.append(frame.value.to_csv())
    for box in app.selectbox:
        parts.extend(str(o) for o in box.options)
    return "\n".join(parts)


def issues_table(app: AppTest) -> Any:
    frames = [
        d.value
        for d in app.dataframe
        if {"字段", "行"} <= set(d.value.columns) or {"Field", "Line"} <= set(d.value.columns)
    ]
    assert frames, "no issues table on the page"
    return frames[0]


def billion_laughs() -> bytes:
    lines = [
        "kind: community",
        "id: lol",
        "name: lol",
        "reference_date: 2020-12-10",
        "x_a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    previous = "a"
    for anchor in "bcdefghi":
        lines.append(f"x_{anchor}: &{anchor} [" + ", ".join([f"*{previous}"] * 10) + "]")
        previous = anchor
    return ("\n".join(lines) + "\n").encode()


def misspelt() -> bytes:
    text = (SCENARIOS / "nuoenjiya.yaml").read_text(encoding="utf-8")
    return text.replace("stands_for:", "stand_for:", 1).encode()


def misspelt_line() -> int:
    return (
        misspelt()
        .decode()
        .splitlines()
        .index(next(x for x in misspelt().decode().splitlines() if "stand_for:" in x))
        + 1
    )


def subdistrict(*entries: str) -> bytes:
    return (
        "kind: subdistrict\nid: evil\nname: 坏街道\ncommunities:\n" + "".join(f"  - {e}\n" for e in entries)
    ).encode()


HOSTILE: dict[str, bytes] = {
    "billion_laughs.yaml": billion_laughs(),
    "deep.yaml": b"kind: community\nid: deep\nx_deep: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep.json": b'{"kind": "community", "id": "deep", "x_deep": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "misspelt.yaml": misspelt(),
    "not_utf8.yaml": b"kind: community\nid: bad\nname: \xff\xfe\xfd\n",
    "pwned.yaml": b'kind: community\nid: pw\nname: !!python/object/apply:os.system ["touch /tmp/pwned"]\n',
    "pwned_document.yaml": b'!!python/object/apply:os.system ["touch /tmp/pwned"]\n',
    "passwd.yaml": subdistrict("/etc/passwd"),
    "passwd_up.yaml": subdistrict("../../etc/passwd"),
    "too_big.yaml": b"kind: community\n" + b"#" * (10 * 1024 * 1024 + 1) + b"\n",
}


@pytest.fixture
def no_server_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every attempt to open a file whose path mentions passwd (as any reader would)."""
    seen: list[str] = []
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def watch(path: Any) -> None:
        if "passwd" in str(path):
            seen.append(str(path))

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        watch(file)
        return real_open(file, *args, **kwargs)

    def fake_io_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        watch(file)
        return real_io_open(file, *args, **kwargs)

    def fake_os_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        watch(path)
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_io_open)
    monkeypatch.setattr(os, "open", fake_os_open)
    return seen


def passwd_lines() -> list[str]:
    try:
        return [
            line for line in Path("/etc/passwd").read_text(errors="replace").splitlines() if len(line) > 8
        ]
    except OSError:
        return []


PASSWD_LINES = passwd_lines()  # read here, before any test watches for reads of it


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_upload_shows_issues_and_keeps_the_scenario(
    at: AppTest, name: str, no_server_reads: list[str]
) -> None:
    PWNED.unlink(missing_ok=True)
    before = at.session_state["common_scenario"].sha256()
    upload(at, (name, HOSTILE[name]))
    assert any("问题" in e.value for e in at.error), [e.value for e in at.error]
    issues = issues_table(at)
    assert len(issues) >= 1
    assert {"文件", "行", "记录", "字段", "问题", "修改建议"} <= set(issues.columns)
    assert at.session_state["common_scenario"].sha256() == before
    assert at.session_state["common_scenario"].id == "nuoenjiya"
    assert any("当前场景保持不变" in i.value for i in at.info)
    text = page_text(at)
    assert "Traceback" not in text and 'File "' not in text
    assert not PWNED.exists()
    assert not no_server_reads, no_server_reads
    for line in PASSWD_LINES:
        assert line not in text
    assert "root:x:0" not in text
    # Chinese page: every problem is told in Chinese
    assert all(CJK.search(m) for m in issues["问题"]), list(issues["问题"])


def test_a_misspelt_key_names_the_record_and_the_line(at: AppTest) -> None:
    upload(at, ("misspelt.yaml", misspelt()))
    issues = issues_table(at)
    row = issues[issues["字段"].str.contains("stand_for")].iloc[0]
    assert "p01" in row["记录"] and "1" in row["记录"] and CJK.search(row["记录"])
    assert row["行"] == str(misspelt_line())
    assert "stands_for" in row["修改建议"] + row["问题"]
    # the same issues in English after the language toggle, without re-uploading
    at.radio(key="app_lang").set_value("en").run()
    assert not at.exception
    issues = issues_table(at)
    assert {"File", "Line", "Record", "Field", "Problem", "How to fix"} <= set(issues.columns)
    row = issues[issues["Field"].str.contains("stand_for")].iloc[0]
    assert "p01" in row["Record"] and not CJK.search(row["Record"])
    assert not CJK.search(row["Problem"])
    assert row["Line"] == str(misspelt_line())


@pytest.mark.parametrize("name", ["deep.yaml", "pwned.yaml", "not_utf8.yaml", "passwd.yaml"])
def test_an_english_page_shows_issues_in_english(at: AppTest, name: str) -> None:
    at.radio(key="app_lang").set_value("en").run()
    upload(at, (name, HOSTILE[name]))
    assert any("issue" in e.value for e in at.error)
    issues = issues_table(at)
    assert not any(CJK.search(m) for m in issues["Problem"]), list(issues["Problem"])
    assert at.session_state["common_scenario"].id == "nuoenjiya"


def test_an_unexpected_failure_is_a_plain_message(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    import app_pages.common

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(app_pages.common, "load_scenario_text", broken)
    upload(at, ("any.yaml", b"kind: community\n"))
    text = page_text(at)
    assert "secret internal detail" not in text and "RuntimeError" not in text and "Traceback" not in text
    assert "无法将此文件读取为场景" in " ".join(issues_table(at)["问题"])
    assert at.session_state["common_scenario"].id == "nuoenjiya"
    at.radio(key="app_lang").set_value("en").run()
    assert "the file could not be read as a scenario" in " ".join(issues_table(at)["Problem"])


def test_an_upload_is_never_given_a_server_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    from app_pages import common

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(common, "load_scenario_text", lambda text, **kw: calls.append(kw))
    common.parse_upload("one.yaml", b"kind: community\n")
    common.parse_upload("sub.yaml", b"kind: subdistrict\n", {"a.yaml": b"kind: community\n"})
    assert calls == [
        {"source": "one.yaml"},
        {"source": "sub.yaml", "files": {"a.yaml": b"kind: community\n"}},
    ]


# ---------------------------------------------------------------- several files at once


def daqintala_files() -> list[tuple[str, bytes]]:
    """The bundled sub-district and the community files it names, as a planner would pick them."""
    files = [
        ("daqintala.yaml", (SCENARIOS / "daqintala.yaml").read_bytes()),
        ("nuoenjiya.yaml", (SCENARIOS / "nuoenjiya.yaml").read_bytes()),
    ]
    files += [(p.name, p.read_bytes()) for p in sorted((SCENARIOS / "daqintala").glob("*.yaml"))]
    return files


def test_the_uploader_takes_several_files(at: AppTest) -> None:
    assert at.file_uploader(key="scenario_upload").accept_multiple_files


def test_a_subdistrict_uploaded_with_its_communities_loads(at: AppTest) -> None:
    files = daqintala_files()
    upload(at, *reversed(files))  # any order: the sub-district file is found among them
    loaded = at.session_state["common_scenario"]
    assert loaded.kind == "subdistrict" and loaded.id == "daqintala"
    assert {c.id for c in loaded.communities} == {"nuoenjiya", "chaoyang", "tuanjie", "heping", "xinhua"}
    assert at.session_state["common_source"] == "daqintala.yaml"
    assert any("已加载 daqintala.yaml" in s.value for s in at.success)
    assert at.selectbox(key="scenario_bundled").value is None  # the picker names no bundled file now


def test_a_subdistrict_without_its_files_reads_nothing_on_the_server(
    at: AppTest, no_server_reads: list[str]
) -> None:
    # nuoenjiya.yaml exists in scenarios/, but was not uploaded: it must not be read from the server
    files = [f for f in daqintala_files() if f[0] != "nuoenjiya.yaml"]
    upload(at, *files)
    assert at.session_state["common_scenario"].id == "nuoenjiya"
    assert at.session_state["common_scenario"].kind == "community"
    issues = issues_table(at)
    assert any("nuoenjiya.yaml" in m for m in issues["问题"]), list(issues["问题"])
    upload(at, ("daqintala.yaml", (SCENARIOS / "daqintala.yaml").read_bytes()))  # alone: file entries refused
    assert at.session_state["common_scenario"].kind == "community"
    upload(
        at,
        ("evil.yaml", subdistrict("../../etc/passwd", "/etc/passwd", "chaoyang.yaml")),
        ("chaoyang.yaml", (SCENARIOS / "daqintala" / "chaoyang.yaml").read_bytes()),
    )
    assert at.session_state["common_scenario"].id == "nuoenjiya"
    assert len(issues_table(at)) >= 2
    assert not no_server_reads, no_server_reads
    assert "root:x:0" not in page_text(at)


def test_several_files_need_one_subdistrict(at: AppTest) -> None:
    community = (SCENARIOS / "daqintala" / "chaoyang.yaml").read_bytes()
    upload(at, ("a.yaml", community), ("b.yaml", community))
    assert "恰好有一个街道文件" in " ".join(issues_table(at)["问题"])
    assert at.session_state["common_scenario"].id == "nuoenjiya"


# ---------------------------------------------------------------- upload cap


def upload_cap_mb() -> int:
    with open(ROOT / ".streamlit" / "config.toml", "rb") as handle:
        return tomllib.load(handle)["server"]["maxUploadSize"]


def test_streamlit_upload_cap_is_10_mb() -> None:
    assert upload_cap_mb() == 10


def test_streamlit_upload_cap_matches_the_loader() -> None:
    from planner.loader import MAX_FILE_BYTES

    assert upload_cap_mb() == MAX_FILE_BYTES // 2**20
