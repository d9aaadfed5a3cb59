"""`jixi-report preview`: a real server process on a free port, a real content folder edited
under it, the served page read back over HTTP."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EPOCH, MINI, REPO

WAIT = 90  # seconds: the machine may be busy with other builds


class Served:
    def __init__(self, process: subprocess.Popen[str], url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    def get(self, path: str = "") -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=30) as answer:
            return answer.read()

    def page(self) -> str:
        return self.get().decode("utf-8")

    def until(self, ok: Callable[[], bool], what: str) -> None:
        end = time.monotonic() + WAIT
        while time.monotonic() < end:
            if ok():
                return
            time.sleep(0.2)
        raise AssertionError(f"not seen within {WAIT} s: {what}\n{self.log.read_text()}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    log = tmp_path / "preview.log"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    args = ["preview", "--content", str(content), "--out", str(tmp_path / "out"), "--port", "0"]
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "jixi_report.cli", *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=REPO,
            env=env,
        )
    try:
        end = time.monotonic() + WAIT
        url = ""
        while not url and time.monotonic() < end and process.poll() is None:
            for line in log.read_text().splitlines():
                if line.startswith("preview on "):
                    url = line.split()[2]
            time.sleep(0.1)
        assert url, log.read_text()
        yield Served(process, url, log), content
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_an_edit_shows_and_a_broken_file_keeps_the_last_good_page(served) -> None:
    server, content = served
    first = server.page()
    assert "第一章 总则" in first and "<script>" in first and "预览修改" not in first
    version = server.get("version")
    chapter = content / "chapters" / "01-general.yaml"
    text = chapter.read_text(encoding="utf-8")
    assert "指标体系。" in text
    chapter.write_text(text.replace("指标体系。", "指标体系（预览修改）。", 1), encoding="utf-8")
    server.until(lambda: "预览修改" in server.page(), "the edited sentence on the page")
    assert server.get("version") != version  # the open page reloads itself on this

    plan = content / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    server.until(lambda: "YAML syntax" in server.page(), "the content error on the page")
    page = server.page()
    assert "预览修改" in page  # the last good page stays
    line = next(x for x in server.log.read_text().splitlines() if "YAML syntax" in x)
    assert line.startswith(f"{plan}:") and line in page  # the same one line as the terminal

    server.until(lambda: b'href="/document.pdf"' in server.get(), "the PDF link")
    pdf = server.get("document.pdf")
    assert pdf.startswith(b"%PDF-")


def test_the_built_html_has_no_preview_script(served, tmp_path: Path) -> None:
    """The reload script and bar belong to the served page only, never to a build."""
    server, content = served
    assert 'id="jr-preview"' in server.page()
    out = tmp_path / "built"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "jixi_report.cli", "plan", "--content", str(content)),
            *("--out", str(out), "--format", "html"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    built = (out / "plan" / "plan.html").read_text(encoding="utf-8")
    assert "jr-preview" not in built and "/version" not in built
