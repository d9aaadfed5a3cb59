"""The pipeline on the small fictional plan: structure, safety, repeatability, failure."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import EPOCH, MINI, REPO, Broken, MiniBuild

from jixi_report.assess.engine import assess
from jixi_report.base.errors import BuildError
from jixi_report.base.style import house_style
from jixi_report.cli import main
from jixi_report.compose.charts.specs import Chart, specs
from jixi_report.compose.plan import plan_context
from jixi_report.compose.report import report_context
from jixi_report.content.load import load
from jixi_report.render.contents import with_contents
from jixi_report.render.dump import dump
from jixi_report.render.parse import CELL_CLASSES, PARAGRAPH_CLASSES, TABLE_CLASSES, parse
from jixi_report.render.templates import render
from jixi_report.writers import pdf

GOLDEN = REPO / "tests" / "golden"


def golden(name: str, got: str) -> None:
    """`got` equals tests/golden/NAME; UPDATE_GOLDEN=1 rewrites it, to be reviewed as a diff."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8"), f"{name} changed: review, then UPDATE_GOLDEN=1"


def test_golden_plan_tree() -> None:
    """The document tree of the fictional plan, line by line."""
    html = render("plan.html.j2", plan_context(load(MINI)))
    golden("mini-plan.txt", dump(parse(html, "plan.html.j2")))


def test_golden_report_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The document tree of the fictional plan's 2025 report (made-up data, two years of it):
    every sentence, count, table cell and caption the report template makes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    plan = load(MINI)
    a = assess(plan, 2025)
    charts = [  # the tree names each chart's file; nothing needs drawing for it
        Chart(s.name, s.caption, Path(f"/charts/{s.name}.svg"), Path(f"/charts/{s.name}.png"))
        for s in specs(plan, a)
    ]
    html = render("report.html.j2", report_context(plan, a, charts))
    golden("mini-report-2025.txt", dump(parse(html, "report.html.j2")))


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<p>a <span>b</span></p>", "<span> is outside the document subset"),
        ('<p style="color:red">a</p>', "attribute 'style' not allowed on <p>"),
        ('<section class="intro"><p>a</p></section>', "class must be one of"),
        ("<main>loose text</main>", "text outside a paragraph"),
        ("<main><p>a</main>", "does not close"),
        ('<p class="bogus">a</p>', "'bogus' is not a class of <p>"),
        ('<table class="wide fancy"><tr><td>a</td></tr></table>', "'fancy' is not a class of"),
        ('<table><tr><td class="met red">a</td></tr></table>', "'red' is not a class of <td>"),
        ('<h2 class="annex">a</h2>', "'annex' is not a class of <h2>"),
        ('<h2 id="x">a</h2><h3 id="x">b</h3>', "id 'x' is used twice"),
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


def test_figure_image_embedded_everywhere(mini_built: MiniBuild) -> None:
    d = docx.Document(str(mini_built.plan / "plan.docx"))
    assert len(d.inline_shapes) == 1
    html = (mini_built.plan / "plan.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html and "file://" not in html


def test_repeatable_bytes(
    mini_built: MiniBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second build in another process, with nothing cached, gives the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    args = ["plan", "--content", str(MINI), "--out", str(tmp_path), "--no-cache"]
    subprocess.run([sys.executable, "-m", "jixi_report.cli", *args], check=True, timeout=300)
    outs = [mini_built.plan, tmp_path / "plan"]
    for kind in ("docx", "pdf", "html"):
        a, b = ((o / f"plan.{kind}").read_bytes() for o in outs)
        assert a == b, kind
    assert docx.Document(str(outs[0] / "plan.docx")).core_properties.created.year == 2023


def test_failed_build_leaves_previous_outputs(
    mini_built: MiniBuild, broken: Broken, tmp_path: Path, capsys
) -> None:
    out = mini_built.copy_to(tmp_path / "out")
    before = {p.name: p.read_bytes() for p in (out / "plan").iterdir()}
    broken.replace("projects.yaml", "investment: 30000", "investment: 约2000")
    assert main(["plan", "--content", str(broken.root), "--out", str(out)]) == 1
    assert "projects[1].investment: expected a number" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in (out / "plan").iterdir()} == before


def test_bad_template_output_leaves_previous_outputs(
    mini_built: MiniBuild, tmp_path: Path, monkeypatch, capsys
) -> None:
    out = mini_built.copy_to(tmp_path / "out")
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


def test_every_class_of_the_subset_is_documented() -> None:
    """docs/html-subset.md lists every class the parser accepts, and no other."""
    doc = (REPO / "docs" / "html-subset.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`\.([a-z0-9-]+)`", doc))
    accepted = (
        TABLE_CLASSES | CELL_CLASSES | PARAGRAPH_CLASSES | {"annex", "total", "ins", "del"}
        | {"cover", "chapter", "back", "toc", "landscape", "run-in"}
    )  # fmt: skip
    assert documented == accepted, (documented - accepted, accepted - documented)
    roles = {name.replace("_", "-") for name in house_style().roles}
    assert PARAGRAPH_CLASSES <= roles, "a paragraph class without a role in style.yaml"


def test_contents_come_from_the_headings() -> None:
    """Two heading levels with ids, an annex at the top with its label; the HTML page and the
    tree get the same entries."""
    html = (
        '<html><body><nav class="toc"><p class="toc-title">目录</p></nav><main>'
        '<section class="chapter"><h2 id="a">一、甲</h2><h3 id="b">（一）乙</h3>'
        '<h4 id="c">1. 丙</h4><h3>（二）无id</h3></section><section class="chapter">'
        '<p class="annex-label">附件1</p><h1 id="d" class="annex">明细</h1></section>'
        "</main></body></html>"
    )
    doc = parse(html, "t.html.j2")
    assert [(e.level, e.id, e.text) for e in doc.contents] == [
        (1, "a", "一、甲"),
        (2, "b", "（一）乙"),
        (1, "d", "附件1 明细"),
    ]
    nav = doc.region("toc")
    assert [(p.cls, p.text) for p in nav.children[1:]] == [("toc1", "一、甲"), ("toc2", "（一）乙"),
                                                          ("toc1", "附件1 明细")]  # fmt: skip
    page = with_contents(doc)
    assert '<p class="toc2"><a href="#b">（一）乙</a></p>' in page
    assert page.index("toc-title") < page.index('href="#a"') < page.index("</nav>")
