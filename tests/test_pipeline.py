"""The pipeline on the small fictional plan: structure, safety, repeatability, failure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest
from conftest import MINI, REPO, Broken

from jixi_report.base.errors import BuildError
from jixi_report.cli import main
from jixi_report.compose.plan import plan_context
from jixi_report.content.load import load
from jixi_report.render.dump import dump
from jixi_report.render.parse import parse
from jixi_report.render.templates import render
from jixi_report.writers import pdf

GOLDEN = REPO / "tests" / "golden" / "mini-plan.txt"


def test_golden_node_dump() -> None:
    """The rendered structure of the fixture plan; UPDATE_GOLDEN=1 rewrites it after review."""
    html = render("plan.html.j2", plan_context(load(MINI)))
    got = dump(parse(html, "plan.html.j2"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(got, encoding="utf-8")
    assert got == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<p>a <span>b</span></p>", "<span> is outside the document subset"),
        ('<p style="color:red">a</p>', "attribute 'style' not allowed on <p>"),
        ('<section class="intro"><p>a</p></section>', "class must be one of"),
        ("<main>loose text</main>", "text outside a paragraph"),
        ("<main><p>a</main>", "does not close"),
    ],
)
def test_outside_the_subset_names_the_template(html: str, message: str) -> None:
    with pytest.raises(BuildError) as info:
        parse(html, "report.html.j2")
    assert "template report.html.j2" in str(info.value) and message in str(info.value)


def test_pdf_fetches_nothing_outside(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    shutil.copy(MINI / "figures" / "location.png", secret)
    figure = f'<figure><img src="{secret.as_uri()}"><figcaption>x</figcaption></figure>'
    html = f"<html><body><main>{figure}</main></body></html>"
    with pytest.raises(BuildError, match="refused to fetch"):
        pdf.layout(html, [MINI])
    for url in ("file:///etc/hostname", "http://example.org/x.png", "/dev/urandom"):
        page = f'<html><head><link rel="stylesheet" href="{url}"></head><body></body></html>'
        with pytest.raises(BuildError, match="refused to fetch"):
            pdf.layout(page, [MINI])


def test_figure_image_embedded_everywhere(tmp_path: Path) -> None:
    assert main(["plan", "--content", str(MINI), "--out", str(tmp_path)]) == 0
    d = docx.Document(str(tmp_path / "plan" / "plan.docx"))
    assert len(d.inline_shapes) == 1
    html = (tmp_path / "plan" / "plan.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html and "file://" not in html


def test_repeatable_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outs = []
    for n in (1, 2):
        out = tmp_path / str(n)
        assert main(["plan", "--content", str(MINI), "--out", str(out)]) == 0
        outs.append(out / "plan")
    for kind in ("docx", "pdf", "html"):
        a, b = ((o / f"plan.{kind}").read_bytes() for o in outs)
        assert a == b, kind
    assert docx.Document(str(outs[0] / "plan.docx")).core_properties.created.year == 2023


def test_failed_build_leaves_previous_outputs(broken: Broken, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["plan", "--content", str(broken.root), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in (out / "plan").iterdir()}
    broken.replace("projects.yaml", "investment: 30000", "investment: 约2000")
    assert main(["plan", "--content", str(broken.root), "--out", str(out)]) == 1
    assert "projects[1].investment: expected a number" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (out / "plan").iterdir()} == before


def test_bad_template_output_leaves_previous_outputs(tmp_path: Path, monkeypatch, capsys) -> None:
    out = tmp_path / "out"
    assert main(["plan", "--content", str(MINI), "--out", str(out), "--format", "docx"]) == 0
    before = (out / "plan" / "plan.docx").read_bytes()
    monkeypatch.setattr(
        "jixi_report.build.render", lambda *a: "<html><body><blink>x</blink></body></html>"
    )
    assert main(["plan", "--content", str(MINI), "--out", str(out), "--format", "docx"]) == 1
    assert "<blink> is outside the document subset" in capsys.readouterr().err
    assert (out / "plan" / "plan.docx").read_bytes() == before


def test_format_option(tmp_path: Path, capsys) -> None:
    assert main(["plan", "--content", str(MINI), "--out", str(tmp_path), "--format", "html"]) == 0
    assert [p.name for p in (tmp_path / "plan").iterdir()] == ["plan.html"]
    assert main(["plan", "--content", str(MINI), "--out", str(tmp_path), "--format", "odt"]) == 2
    assert "--format takes" in capsys.readouterr().err


def test_image_outside_content_is_a_content_error(broken: Broken, capsys) -> None:
    line = broken.replace(
        "chapters/01-general.yaml", "image: figures/location.png", "image: ../../secret.png"
    )
    code, lines = broken.check(capsys)
    assert code == 1
    assert f"01-general.yaml:{line}:" in lines[0] and "inside the content directory" in lines[0]


def test_reference_docx_is_generated_from_the_house_style(tmp_path: Path) -> None:
    """templates/reference.docx is what scripts/make_reference_docx.py makes of style.yaml."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "mkref", REPO / "scripts" / "make_reference_docx.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tmp_path / "reference.docx")
    shipped = REPO / "templates" / "reference.docx"
    assert (tmp_path / "reference.docx").read_bytes() == shipped.read_bytes(), (
        "style.yaml changed: run .venv/bin/python scripts/make_reference_docx.py"
    )
