"""The resident build server (resident.py): a build run from the command line leaves one
behind, and a build handed to it is the build the command line makes: the same files, byte
for byte, the same lines on the caller's own stdout and stderr, the same exit code, and on
bad content the same one-line message with the previous outputs left as they were."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import EPOCH, MINI

from jixi_report import resident

FILES = ("plan.html", "plan.pdf", "plan.docx")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A server left by a command-line build of the small plan into OUT/local; yields OUT.
    Its socket folder is short-named: a socket's path is limited to 108 bytes."""
    sockets = Path(tempfile.mkdtemp(prefix="jr-"))
    out = tmp_path_factory.mktemp("resident")
    env = {"JIXI_SERVER": "1", "XDG_RUNTIME_DIR": str(sockets), "SOURCE_DATE_EPOCH": EPOCH}
    before = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        local = [sys.executable, "-m", "jixi_report.cli", "plan", "--content", str(MINI)]
        done = subprocess.run(
            [*local, "--out", str(out / "local")], capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        assert list(sockets.glob("*/*.sock")), "the command-line build left no server"
        yield out
        assert resident.stop(), "the server was gone before the tests ended"
        assert resident.hand_over(["plan", "--content", str(MINI)]) is None  # none is left
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(sockets, ignore_errors=True)


def test_a_build_handed_over_writes_what_a_local_build_writes(
    served: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    target = served / "handed"
    code = resident.hand_over(["plan", "--content", str(MINI), "--out", str(target)])
    assert code == 0  # not None: the server ran it
    out, _err = capfd.readouterr()
    for name in FILES:
        assert f"wrote {target / 'plan' / name}" in out  # printed on our own stdout
        local = (served / "local" / "plan" / name).read_bytes()
        assert (target / "plan" / name).read_bytes() == local, name


def test_bad_content_handed_over_fails_as_it_would_locally(
    served: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    plan_yaml = content / "plan.yaml"
    plan_yaml.write_text(plan_yaml.read_text(encoding="utf-8") + "\nbogus: [1\n", "utf-8")
    before = {n: (served / "local" / "plan" / n).read_bytes() for n in FILES}
    argv = ["plan", "--content", str(content), "--out", str(served / "local")]
    assert resident.hand_over(argv) == 1
    _out, err = capfd.readouterr()
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{plan_yaml}:") and "YAML syntax" in lines[0], err
    assert lines[-1] == "1 problem in the content; nothing was written."
    assert {n: (served / "local" / "plan" / n).read_bytes() for n in FILES} == before


def test_a_usage_error_handed_over_is_exit_2(
    served: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    argv = ["report", "--year", "1999", "--content", str(MINI), "--out", str(served / "r")]
    assert resident.hand_over(argv) == 2
    assert "outside the plan period" in capfd.readouterr().err


def test_the_server_warms_every_face_of_the_house_style() -> None:
    """What the server lays out before it forks its builds uses each face (and weight) the
    house style's roles print in: a build's worker then finds every face loaded and its file
    read (a served edit of the longest chapter: 5 % sooner)."""
    import io

    import pypdf

    from jixi_report.base.style import house_style
    from jixi_report.writers import pdf

    data, _ = pdf.write(pdf.layout(pdf._EVERY_FACE, []))
    used = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            used.add(str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", ""))
    wanted = {
        r.font.pdf.replace(" ", "") + ("Bold" if r.bold else "")
        for r in house_style().roles.values()
        if r.name != "footer"  # in the margin boxes: the overlay's, not a part's
    }
    assert wanted <= used, wanted - used
