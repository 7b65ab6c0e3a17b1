"""The app in a real browser: Debian's chromium driven by Playwright (never a downloaded browser).

Starts `streamlit run app.py` on a free port, visits every page through the sidebar (one session),
solves slates and a schedule, saves screenshots to tests/screenshots/ and fails on any Streamlit
exception box. Prints the time of a what-if round trip (change a rule, see new slates): a figure,
not an assertion. Run with `pytest -m browser`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser

try:
    from playwright.sync_api import Locator, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]
    Page = Locator = object  # type: ignore[assignment,misc]


def _skip_reason() -> str | None:
    if sync_playwright is None:
        return "the playwright Python package is not installed"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (install Debian's chromium; no browser is downloaded)"
    if shutil.which("streamlit") is None and not (Path(sys.executable).parent / "streamlit").exists():
        return "the streamlit command is not installed"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    SHOTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    streamlit = shutil.which("streamlit") or str(Path(sys.executable).parent / "streamlit")
    log = open(SHOTS / "streamlit.log", "w")  # noqa: SIM115 - closed below
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [streamlit, "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "localhost", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}; see tests/screenshots/streamlit.log")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not start serving within 90 s")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Page]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1500, "height": 1700}, locale="zh-CN")
            tab = context.new_page()
            tab.set_default_timeout(90_000)
            tab.goto(server)
            wait_idle(tab)
            yield tab
        finally:
            browser.close()


def wait_idle(page: Page, settle_ms: int = 400) -> None:
    """Wait until the script run is over (the app root says notRunning) and the page has settled."""
    page.wait_for_selector('[data-testid="stApp"]')
    for _ in range(2):
        page.wait_for_timeout(settle_ms)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)


def no_exception(page: Page, where: str) -> None:
    boxes = page.locator('[data-testid="stException"]')
    if boxes.count():
        pytest.fail(f"Streamlit exception on {where}: {boxes.first.inner_text()[:2000]}")


def go(page: Page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    wait_idle(page)


def chinese(page: Page) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_text("中文").click()
    wait_idle(page)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def visit(page: Page, nav_label: str | None, ready: Locator, name: str, screenshot: str) -> None:
    """Open a page (or stay), wait until `ready` shows, fail on any exception box, save a screenshot."""
    if nav_label:
        go(page, nav_label)
    ready.first.wait_for()
    no_exception(page, name)
    shot(page, screenshot)


def test_every_page_and_a_what_if(page: Page) -> None:
    # 场景 Scenario: the default scenario is loaded
    visit(page, None, page.get_by_text("诺恩吉雅社区"), "场景", "1-scenario")
    visit(page, "候选人", page.get_by_text("任职资格"), "候选人", "2-candidates")
    visit(page, "亲属关系", page.locator('[data-testid="stPlotlyChart"]'), "亲属关系", "3-relatives")
    visit(page, "班子方案", page.get_by_text("方案 3"), "班子方案", "4-slates")

    # What-if round trip: switch off S02 (一肩挑) and apply; time until new slates are shown.
    page.locator('[data-testid="stExpander"] summary').filter(has_text="规则参数").first.click()
    checkbox = page.locator('[data-testid="stCheckbox"]').filter(has_text="S02")
    checkbox.first.wait_for()
    checkbox.first.locator("label").click()
    shot(page, "4a-rule-parameters")
    start = time.perf_counter()
    page.get_by_role("button", name="应用规则").click()
    page.get_by_text("规则已更新").first.wait_for()
    wait_idle(page, settle_ms=150)
    page.get_by_text("方案 1").first.wait_for()
    elapsed = time.perf_counter() - start
    print(f"\nwhat-if round trip (switch off S02, apply, new slates shown): {elapsed:.2f} s")
    no_exception(page, "班子方案 what-if")
    shot(page, "4b-slates-what-if")

    go(page, "日程")
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    page.get_by_text("关键路径").first.wait_for()
    no_exception(page, "日程")
    shot(page, "5-schedule")

    go(page, "导出")
    page.locator('[data-testid="stDownloadButton"]').first.wait_for()
    assert page.locator('[data-testid="stDownloadButton"]').count() >= 4
    no_exception(page, "导出")
    shot(page, "6-export")

    # English: every label switches
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    wait_idle(page)
    page.get_by_text("Include sensitive details").first.wait_for()
    no_exception(page, "Export (English)")
    visit(page, "Slates", page.get_by_text("Slate 1"), "Slates (English)", "7-slates-english")
    visit(page, "Candidates", page.get_by_text("Eligibility"), "Candidates (English)", "7b-candidates-english")


def test_infeasible_upload_shows_conflict_and_a_fix(page: Page, tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load((ROOT / "scenarios" / "nuoenjiya.yaml").read_text(encoding="utf-8"))
    data.setdefault("rules", {})["min_women"] = 9
    infeasible = tmp_path / "too_many_women.yaml"
    infeasible.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    chinese(page)
    go(page, "场景")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(infeasible))
    wait_idle(page)
    page.get_by_text("已加载 too_many_women.yaml").first.wait_for()
    go(page, "班子方案")
    page.get_by_text("按当前规则没有可行的班子方案。").first.wait_for()
    no_exception(page, "班子方案 (infeasible)")
    shot(page, "4c-slates-conflict")
    page.get_by_role("button", name="应用", exact=True).last.click()
    wait_idle(page)
    page.get_by_text("方案 1").first.wait_for()
    no_exception(page, "班子方案 (fixed)")


def test_subdistrict_schedule(page: Page) -> None:
    chinese(page)
    go(page, "场景")
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.keyboard.type("daqintala.yaml")
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_text("大沁他拉街道").first.wait_for()
    no_exception(page, "场景 (街道)")
    go(page, "日程")
    page.get_by_text("每天使用的工作组容量").first.wait_for()
    no_exception(page, "日程 (街道)")
    shot(page, "8-subdistrict-schedule")
