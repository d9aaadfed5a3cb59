"""The charts as printed: text size on the page of the real PDF and Word file, full labels,
the words of the tables, every division, overdue projects, y ranges, the watermark above.

How the printed size is measured. A chart's SVG keeps its text as text, each line a `<text>`
with its font size in points (`test_charts.svg_texts`). In the PDF each is a run of text in
the charts' font (`pdf_runs.page_runs`: the `Tf` size times the scale of the text matrix and
of every transformation the page applied before it, the image's fit to the text width and
form XObjects included), read back as characters. In Word the picture's printed width is its
`wp:extent cx`; the text is printed at its SVG size × cx / the SVG's width.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import docx
import pypdf
import pytest
from conftest import MINI, RealCharts
from outputs import pdf_pages, squash, word_tables
from pdf_runs import Run, page_runs
from pypdf.generic import ContentStream
from test_charts import svg_texts

from jixi_report.assess.engine import assess
from jixi_report.base.style import house_style
from jixi_report.base.vocab import OVERDUE, project_state
from jixi_report.compose.charts.cache import draw_charts
from jixi_report.compose.charts.specs import specs
from jixi_report.compose.charts.trends import trend_measures
from jixi_report.content.load import load

SMALLEST_PT = 8  # the floor for any chart text on paper
EMU_PER_PT = 12700
CUT = "…"


def _chart_runs(reader: pypdf.PdfReader, page: pypdf.PageObject) -> list[Run]:
    """The page's chart texts: the runs its SVG images draw, the watermark (translucent) not."""
    return [r for r in page_runs(reader, page) if r.chart and r.alpha >= 0.5]


def _figure_pages(report: Path, real_charts: RealCharts) -> set[int]:
    """Pages (from 0) that carry a chart: its caption, 图N and the chart's title, is there (a
    mention of 图N in the text is not)."""
    pages = [squash(t) for t in pdf_pages(report / "report.pdf")]
    captions = [re.compile(r"图\d+" + re.escape(squash(c.caption))) for c in real_charts.charts]
    found = {i for i, text in enumerate(pages) if any(c.search(text) for c in captions)}
    assert len(found) >= len(real_charts.charts) // 2
    return found


@pytest.fixture(scope="module")
def chart_runs(report: Path) -> dict[int, list[Run]]:
    """Page index → the chart texts printed on it (pages without charts left out)."""
    reader = pypdf.PdfReader(str(report / "report.pdf"))
    out = {}
    for i, page in enumerate(reader.pages):
        if runs := _chart_runs(reader, page):
            out[i] = runs
    return out


def test_chart_text_is_at_least_8_pt_in_the_pdf(
    report: Path, real_charts: RealCharts, chart_runs: dict[int, list[Run]]
) -> None:
    with_figure = _figure_pages(report, real_charts)
    assert with_figure and with_figure <= set(chart_runs), "a figure's page without chart text"
    smallest = {i + 1: min(r.size for r in runs) for i, runs in chart_runs.items()}
    assert min(smallest.values()) >= SMALLEST_PT, smallest
    # Every text of every chart, whole and searchable, printed at the size it was drawn at
    # (the figures are drawn at the page's text width, not shrunk), nothing else.
    printed = Counter((r.text, round(r.size, 1)) for runs in chart_runs.values() for r in runs)
    drawn = Counter(
        (t.replace(" ", ""), round(size, 1))
        for c in real_charts.charts
        for t, size in svg_texts(c.svg)
    )
    assert printed == drawn, (printed - drawn, drawn - printed)
    # In the face the charts were laid out with (matplotlib placed every line by its metrics).
    fonts = {r.font for runs in chart_runs.values() for r in runs}
    assert fonts == {house_style().chart_font.replace(" ", "-")}


def test_chart_texts_are_drawn_on_the_page_not_each_in_a_form(
    report: Path, chart_runs: dict[int, list[Run]]
) -> None:
    """A centred or right-aligned SVG text is drawn by WeasyPrint into a form of its own (to
    move it once its width is known): the report's charts made four hundred, a third of the
    PDF's bytes. Their texts start where matplotlib placed them, so the whole report holds
    fewer forms than its chart pages hold texts (the watermark is a form on every page)."""
    reader = pypdf.PdfReader(str(report / "report.pdf"))
    forms = {
        ref.idnum
        for page in reader.pages
        for ref in page["/Resources"].get("/XObject", {}).values()
        if ref.get_object().get("/Subtype") == "/Form"
    }
    texts = sum(len(runs) for runs in chart_runs.values())
    assert texts > 200
    assert len(forms) < texts / 2, (len(forms), texts)


def test_chart_text_is_at_least_8_pt_in_word(report: Path, real_charts: RealCharts) -> None:
    d = docx.Document(str(report / "report.docx"))
    by_png = {hashlib.sha256(c.png.read_bytes()).hexdigest(): c for c in real_charts.charts}
    printed: dict[str, float] = {}
    for inline in d.inline_shapes:
        blip = inline._inline.graphic.graphicData.pic.blipFill.blip
        blob = d.part.related_parts[blip.embed].blob
        chart = by_png.get(hashlib.sha256(blob).hexdigest())
        if chart is None:
            continue
        svg = chart.svg.read_text(encoding="utf-8")
        width_pt = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg)[1])
        scale = inline.width / EMU_PER_PT / width_pt
        printed[chart.name] = round(min(size for _, size in svg_texts(chart.svg)) * scale, 2)
    assert set(printed) == {c.name for c in real_charts.charts}
    assert min(printed.values()) >= SMALLEST_PT, printed


def test_no_label_is_cut_and_names_are_whole(real_charts: RealCharts) -> None:
    plan, charts = real_charts.plan, real_charts.charts
    texts = {c.name: [t for t, _ in svg_texts(c.svg)] for c in charts}
    assert not [t for lines in texts.values() for t in lines if CUT in t]
    timeline = "".join(t for n, lines in texts.items() if n.startswith("timeline") for t in lines)
    for p in plan.projects:
        assert f"{p.no} {p.name}" in timeline.replace("\n", "")
    trends = "".join(t for n, lines in texts.items() if n.startswith("trends") for t in lines)
    for m in trend_measures(plan, assess(plan, 2025)):
        assert f"{m.indicator.label} {m.indicator.name}" in trends


def test_a_row_judged_on_its_change_is_titled_for_it(real_charts: RealCharts) -> None:
    """7.1 生态质量指数（EQI）is judged △EQI＞-1 and its values are changes: so says its title."""
    trends = "".join(
        t for c in real_charts.charts if c.name.startswith("trends") for t, _ in svg_texts(c.svg)
    )
    assert "7.1 生态质量指数（EQI）的变化值（△EQI）" in trends


def _header_cells(report: Path) -> set[str]:
    html = (report / "report.html").read_text(encoding="utf-8")
    return {re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)}


def test_legend_words_are_the_tables_words(report: Path, real_charts: RealCharts) -> None:
    heads = _header_cells(report)
    texts = {c.name: {t for t, _ in svg_texts(c.svg)} for c in real_charts.charts}
    trends = set().union(*(t for n, t in texts.items() if n.startswith("trends")))
    assert "指标值" in trends and "指标值" in heads and "国家标准" not in trends
    milestones = {t for t in trends if t.startswith(("目标值（", "远期规划值（"))}
    assert milestones and milestones <= heads | {"远期规划值（2030年）"}
    invest = texts["invest-category"] | texts["invest-division"]
    assert "估算总投资" in invest and "估算总投资（万元）" in heads
    assert not [t for t in invest if "规划投资" in t]
    assert any(t.startswith("累计完成投资") for t in invest) and "累计完成投资（万元）" in heads


def _cells(report: Path) -> set[str]:
    html = (report / "report.html").read_text(encoding="utf-8")
    return {re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)}


def test_the_timelines_legend_lists_what_it_draws_in_the_tables_words(
    report: Path, real_charts: RealCharts
) -> None:
    """Each timeline page's legend names the states of its projects and nothing else, as the
    project table's 实施状态 does (在建（逾期）, not 逾期 alone)."""
    rows = assess(real_charts.plan, 2025).projects
    cells = _cells(report)
    late = 0
    for c in real_charts.charts:
        if not c.name.startswith("timeline"):
            continue
        texts = [t for t, _ in svg_texts(c.svg)]
        names = "".join(texts)
        here = [r for r in rows if f"{r.project.no} {r.project.name}" in names]
        shown = {project_state(r.status, r.overdue) for r in here}
        assert here and shown <= cells
        legend = {
            t
            for t in texts
            if not t.isdigit()
            and t != OVERDUE
            and not t.endswith("年末")
            and not any(t in f"{r.project.no} {r.project.name}" for r in rows)
        }
        assert legend == shown, c.name
        late += sum(r.overdue for r in here)
    assert late  # an overdue project is drawn, so its legend entry is checked


def test_every_division_is_shown(real_charts: RealCharts) -> None:
    """城子河区 has no project: it is shown with 0, not left out."""
    division = next(c for c in real_charts.charts if c.name == "invest-division")
    texts = [t for t, _ in svg_texts(division.svg)]
    names = [t for t in texts if t in real_charts.plan.meta.region.divisions]
    assert names == real_charts.plan.meta.region.divisions
    assert "城子河区" not in {p.division for p in real_charts.plan.projects}
    assert texts.count("0") >= 2  # its two bars: 0 planned, 0 completed


def test_overdue_projects_are_marked(real_charts: RealCharts) -> None:
    a = assess(real_charts.plan, 2025)
    overdue = sum(r.overdue for r in a.projects)
    assert overdue
    marks = [
        t
        for c in real_charts.charts
        if c.name.startswith("timeline")
        for t, _ in svg_texts(c.svg)
        if t == "逾期"
    ]
    assert len(marks) == overdue


def test_y_ranges_hold_standard_and_targets_and_keep_noise_flat(real_charts: RealCharts) -> None:
    plan = real_charts.plan
    share = house_style().charts.min_span
    panels = [p for s in specs(plan, assess(plan, 2025)) if s.kind == "trends" for p in s.panels]
    for p in panels:
        levels = [float(v) for _, v in p.points] + [float(t.level) for t in p.targets]
        levels += [] if p.standard is None else [float(p.standard)]
        assert p.low < min(levels) and max(levels) < p.high, p.title
        assert p.high - p.low >= share * max(abs(v) for v in levels), p.title
    forest = next(p for p in panels if p.title.startswith("8.1 森林覆盖率"))
    values = [float(v) for _, v in forest.points]
    step = max(values) - min(values)
    assert 0 < step < 0.01 * max(values)  # the data: a change of under 1 % (39.8 → 39.9)
    assert step / (forest.high - forest.low) < 0.05  # drawn as under 5 % of the panel's height


def test_series_are_told_apart_in_greyscale() -> None:
    """Dash pattern, marker shape and fill differ for every series of a trend panel: colour
    is not needed to tell them apart."""
    charts = house_style().charts
    looks = [charts.lines.value, charts.lines.standard, *charts.milestones]
    signatures = {(tuple(x.dash), x.marker, x.hollow) for x in looks}
    assert len(signatures) == len(looks)
    markers = [x.marker for x in looks if x.marker]
    assert len(set(markers)) == len(markers)


def test_rows_without_a_trend_are_in_a_table(report: Path, real_charts: RealCharts) -> None:
    assert re.search(r"表\d+未绘制趋势的指标", squash("".join(pdf_pages(report / "report.pdf"))))
    d = docx.Document(str(report / "report.docx"))
    table = next(  # with its continuations (Word sets it one table a page, as the PDF does)
        t
        for t in word_tables(d)
        if any("5.3" == r.cells[0].text for r in t.rows) and t.rows[0].cells[-1].text == "指标值"
    )
    labels = [row.cells[0].text for row in table.rows[1:]]
    assert {"1", "5.3", "6.2", "6.3", "7.3", "16", "25"} <= set(labels)
    assert "4.1" not in labels  # a row with a trend has its panel


def _translucent(xobject: object, seen: set[int] | None = None) -> bool:
    """Whether a form XObject draws with the watermark's translucency (or holds one that does)."""
    resources = xobject.get("/Resources") or {}
    for state in (resources.get("/ExtGState") or {}).values():
        alpha = state.get_object().get("/ca")
        if alpha is not None and 0 < float(alpha) < 0.5:
            return True
    for inner in (resources.get("/XObject") or {}).values():
        o = inner.get_object()
        if o.get("/Subtype") == "/Form" and _translucent(o):
            return True
    return False


def test_the_watermark_is_drawn_above_the_charts(report: Path, real_charts: RealCharts) -> None:
    reader = pypdf.PdfReader(str(report / "report.pdf"))
    with_figure = _figure_pages(report, real_charts)
    checked = 0
    for i, page in enumerate(reader.pages):
        if i not in with_figure:
            continue
        resources = page["/Resources"]
        ops = ContentStream(page.get_contents(), reader).operations
        texts = [r.index for r in _chart_runs(reader, page)]
        marks = [
            n
            for n, (args, op) in enumerate(ops)
            if op == b"Do" and _translucent(resources["/XObject"][args[0]].get_object())
        ]
        assert texts and marks, f"page {i + 1}"
        assert min(marks) > max(texts), f"page {i + 1}: the watermark is under the chart"
        checked += 1
    assert checked >= 8


def _svg_size_mm(svg: Path) -> tuple[float, float]:
    head = re.search(r'<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"', svg.read_text("utf-8"))
    return float(head[1]) * 25.4 / 72, float(head[2]) * 25.4 / 72


def test_a_long_project_list_takes_more_pages_and_nothing_shrinks(tmp_path: Path) -> None:
    """60 projects with long names: the timeline takes as many landscape pages as it needs, each
    no taller than print.css prints at full width, every name whole."""
    plan = load(MINI)
    first = plan.projects[0]
    long_name = "黑龙江省青川市北湖区农村生活污水处理及配套管网建设、改造和运行维护项目"
    plan.projects = [
        first.model_copy(update={"no": n, "name": f"{long_name}第{n}期"}) for n in range(1, 61)
    ]
    charts = draw_charts(plan, assess(plan, plan.meta.period.start), tmp_path, cache=False)
    timeline = [c for c in charts if c.name.startswith("timeline-")]
    assert len(timeline) >= 4
    most = house_style().charts.max_height_mm.landscape
    names = ""
    for c in timeline:
        _, height = _svg_size_mm(c.svg)
        assert height <= most, (c.name, height)
        assert min(size for _, size in svg_texts(c.svg)) >= SMALLEST_PT
        names += "".join(t for t, _ in svg_texts(c.svg))
    for n in range(1, 61):
        assert f"{n} {long_name}第{n}期" in names


def _portrait(page: pypdf.PageObject) -> bool:
    return float(page.mediabox.height) > float(page.mediabox.width)


def test_the_trend_figures_follow_table_1_on_its_landscape_pages(report: Path) -> None:
    """Cited with Table 1, printed after it on landscape pages: no portrait page between
    (one set after the 领域 text left the portrait page before it half empty)."""
    reader = pypdf.PdfReader(str(report / "report.pdf"))
    pages = [squash(t) for t in pdf_pages(report / "report.pdf")]
    table = max(i for i, t in enumerate(pages) if re.search(r"(续)?表1\d{4}年建设指标完成情况", t))
    first = min(i for i, t in enumerate(pages) if re.search(r"图2\S+变化趋势", t))
    assert table < first
    assert not any(_portrait(reader.pages[i]) for i in range(table, first + 1))


def test_no_figure_stands_alone_on_a_portrait_page(report: Path) -> None:
    """A portrait page printing a figure prints text or another figure beside it."""
    reader = pypdf.PdfReader(str(report / "report.pdf"))
    checked = 0
    for page in reader.pages:
        if not _portrait(page):
            continue
        runs = page_runs(reader, page)
        if not _chart_runs(reader, page):
            continue
        checked += 1
        own = [r.text for r in runs if not r.chart and r.alpha >= 0.5]
        captions = [t for t in own if re.match(r"图\d+\s", t)]
        figures = sum(len(re.findall(r"图\d+\s", t)) for t in captions)
        others = [t for t in own if t not in captions and not re.fullmatch(r"—\s*\d+\s*—", t)]
        others = [t for t in others if t != "示例数据"]  # the running header of example data
        assert figures > 1 or others, captions
    assert checked >= 2  # the status and investment figures are on portrait pages


def test_the_page_shows_each_chart_as_drawn_for_word(report: Path, real_charts: RealCharts) -> None:
    """The HTML page's charts are their PNG pictures: the SVG's words are text in the house
    font, which the reader's browser may lack (an <img> cannot lend it the page's fonts)."""
    import base64

    page = (report / "report.html").read_text(encoding="utf-8")
    assert "data:image/svg+xml" not in page
    for chart in real_charts.charts:
        assert base64.b64encode(chart.png.read_bytes()).decode("ascii") in page, chart.name


def test_units_in_chart_titles_are_raised(real_charts: RealCharts) -> None:
    """μg/m^{3} in content is μg/m³ in a chart's title: no `^{…}` or `$…$` left in the words."""
    texts = [t for c in real_charts.charts for t, _ in svg_texts(c.svg)]
    assert any("μg/m³" in t for t in texts)
    assert not [t for t in texts if "^{" in t or "$" in t]


def test_investment_figures_share_their_decimals(real_charts: RealCharts) -> None:
    """The figures of an investment chart show one number of decimals, as a table column
    does: 784,447.00 beside 188,060.06 (a group with nothing invested shows 0). The axis's
    round numbers have none."""
    texts = {c.name: [t for t, _ in svg_texts(c.svg)] for c in real_charts.charts}
    category, division = texts["invest-category"], texts["invest-division"]
    assert "188,060.06" in category and "784,447.00" in category and "784,447" not in category
    assert "434,878.06" in division and "403,600.00" in division and "403,600" not in division
    for shown in (category, division):
        decimals = {len(t.partition(".")[2]) for t in shown if re.fullmatch(r"[\d,]+\.\d+", t)}
        assert decimals == {2}
