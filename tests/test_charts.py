"""The report's charts, drawn with the real matplotlib: files, fonts, glyphs, repeatability."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import CONTENT, MINI, REPO, RealCharts
from matplotlib import font_manager, ft2font

from jixi_report.assess import engine
from jixi_report.assess.engine import Assessment, assess
from jixi_report.assess.rules import Facts, Judgement
from jixi_report.base.errors import BuildError
from jixi_report.base.style import house_style
from jixi_report.base.vocab import MET
from jixi_report.cli import main
from jixi_report.compose.charts.cache import draw_charts
from jixi_report.compose.charts.draw import render
from jixi_report.compose.charts.saving import saving
from jixi_report.compose.charts.specs import Chart, specs
from jixi_report.compose.charts.text import wrap
from jixi_report.compose.charts.trends import steady_measures
from jixi_report.content.load import load
from jixi_report.content.model import Plan, Rule
from jixi_report.content.yearly import Monitoring

FAMILY = house_style().chart_font
TITLE = re.compile(r"(参?\d+(?:\.\d+)?) (?=\S)")  # a panel's title: Table 1's number first
TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")
STYLE = re.compile(r'style="([^"]*)"')


def svg_text_styles(svg: Path) -> list[tuple[str, dict[str, str]]]:
    """Each line of text in a chart as drawn (matplotlib writes one `<text>` a line, its
    position and anchor worked out from the font it laid it out with) and its CSS style."""
    found = []
    for attributes, text in TEXT.findall(svg.read_text(encoding="utf-8")):
        style = STYLE.search(attributes)
        declarations = (d.split(":", 1) for d in style[1].split(";") if ":" in d) if style else ()
        found.append((html.unescape(text), {k.strip(): v.strip() for k, v in declarations}))
    return found


def svg_texts(svg: Path) -> list[tuple[str, float]]:
    """Each line of text in a chart with its size in points (the SVG's user unit is the
    point: its viewBox is its size in pt)."""
    return [(t, float(style["font-size"].removesuffix("px"))) for t, style in svg_text_styles(svg)]


STATUS_WORDS = ["达标", "未达标", "待填报", "约束性指标", "参考性指标", "指标数（项）"]


def _mini_monitoring(plan: Plan) -> None:
    """Two years of made-up data: numbers, a state, 不涉及, gaps, every project status."""
    first, second = plan.meta.period.start, plan.meta.period.start + 1
    plan.monitoring[first] = Monitoring.model_validate(
        {
            "year": first,
            "data_status": "example",
            "indicators": {
                "1.1": {"value": Decimal(36), "superior_task_met": True},
                "2": {"value": Decimal("41.0")},
                "4": {"value": "建立"},
                "R1": {"value": "不涉及"},
            },
            "projects": {1: {"status": "在建", "invested": Decimal(600)}, 2: {"status": "前期"}},
        }
    )
    plan.monitoring[second] = Monitoring.model_validate(
        {
            "year": second,
            "data_status": "example",
            "indicators": {
                "1.1": {"value": Decimal("34.5"), "superior_task_met": True},
                "R2": {"value": Decimal(12500)},
            },
            "projects": {
                1: {"status": "完工", "invested": Decimal("1234.5")},
                2: {"status": "未开工", "invested": Decimal(0)},
            },
        }
    )


def _cases() -> dict[str, tuple[Plan, int]]:
    """The real plan and the fictional one as their files stand, with made-up data, and bare."""
    cases = {}
    for name, root in (("real", CONTENT), ("mini", MINI)):
        plan = load(root)
        cases[name] = (plan, max(plan.monitoring, default=plan.meta.period.start))
    made_up, bare = load(MINI), load(MINI)
    made_up.monitoring.clear()
    _mini_monitoring(made_up)
    bare.monitoring.clear()  # no data at all: every value and project 待填报
    cases["made-up"] = (made_up, made_up.meta.period.start + 1)
    cases["bare"] = (bare, bare.meta.period.start)
    return cases


CASES = _cases()


def draw_all(plan: Plan, a: Assessment, folder: Path) -> list[Chart]:
    """Every chart drawn anew, as a cold build draws them."""
    return draw_charts(plan, a, folder, cache=False)


def _numeric_measures(plan: Plan, a: Assessment) -> int:
    """The brief's definition, restated independently of charts.trends: each row with a
    direction and a number so far, each rate of a row judged on several rates counted apart."""
    n = 0
    for r in a.rows:
        ind = r.indicator
        if not ind.has_values or ind.direction not in ("higher", "lower"):
            continue
        rates = sorted(ind.standard.rule.components or {}) if ind.standard else []
        for field in rates or ["value"]:
            values = [getattr(ind.baseline, field, None) if ind.baseline else None]
            values += [
                getattr(plan.monitoring[y].indicators[ind.id], field, None)
                for y in plan.monitoring
                if y <= a.year and ind.id in plan.monitoring[y].indicators
            ]
            n += any(isinstance(v, Decimal) for v in values)
    return n


@pytest.fixture(scope="module", params=list(CASES))
def drawn(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Plan, Assessment, list[Chart], list[warnings.WarningMessage]]:
    if request.param == "real":  # the report's own charts, drawn once for the whole run
        real = request.getfixturevalue("real_charts")
        return real.plan, assess(real.plan, 2025), real.charts, real.warnings
    plan, year = CASES[request.param]
    a = assess(plan, year)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts = draw_all(plan, a, tmp_path_factory.mktemp(request.param) / "charts")
    return plan, a, charts, caught


def _sc_face() -> ft2font.FT2Font:
    found = font_manager.findfont(
        font_manager.FontProperties(family=FAMILY), fallback_to_default=False
    )
    return ft2font.FT2Font(found, face_index=found.face_index)


def _words(svg: Path) -> str:
    """Every text of a chart, run together: a word is in the chart when it is in here."""
    return "\n".join(t for t, _ in svg_texts(svg))


def test_the_sc_face_of_the_collection_is_used(drawn: tuple) -> None:
    found = font_manager.findfont(
        font_manager.FontProperties(family=FAMILY), fallback_to_default=False
    )
    assert found.endswith(".ttc") and found.face_index > 0  # the JP face is index 0
    face = _sc_face()
    assert (face.family_name, face.postscript_name) == (FAMILY, "NotoSansCJKsc-Regular")


def test_files_in_report_order(drawn: tuple) -> None:
    plan, a, charts, _ = drawn
    names = [c.name for c in charts]
    trends = [n for n in names if n.startswith("trends-")]
    timeline = [n for n in names if n.startswith("timeline-")]
    assert names == [
        "status",
        *(f"trends-{i}" for i in range(1, len(trends) + 1)),
        "invest-category",
        "invest-division",
        *(f"timeline-{i}" for i in range(1, len(timeline) + 1)),
    ]
    assert sum(len(s.spans) for s in specs(plan, a) if s.kind == "timeline") == len(plan.projects)
    captions = {c.name: c.caption for c in charts}
    assert captions["invest-category"] == "重点工程投资完成情况（按工程类型）"
    assert captions["invest-division"] == "重点工程投资完成情况（按县级行政区）"
    if len(timeline) > 1:
        assert [captions[n] for n in timeline] == [
            f"重点工程实施进度（{i}）" for i in range(1, len(timeline) + 1)
        ]
    for c in charts:
        svg, png = c.svg.read_bytes(), c.png.read_bytes()
        assert svg.startswith(b"<?xml") and svg.count(b"<text") >= 3, c.svg  # words, not blank
        assert svg.count(b"<path") >= 5, c.svg  # and a drawing
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000, c.png
        width = int.from_bytes(png[16:20], "big")
        assert width >= 1000, f"{c.png}: {width} px is not 200 dpi"
        assert b"Software" not in png and b"<dc:date>" not in svg


def test_drawn_at_the_printed_width_and_no_taller(drawn: tuple) -> None:
    """A figure wider than the text, or taller than print.css allows, would be shrunk on the
    page and its text with it: each is drawn at its page's text width, within the height."""
    style = house_style()
    portrait = 210 - style.margins_mm["left"] - style.margins_mm["right"]
    landscape = 297 - style.margins_mm["top"] - style.margins_mm["bottom"]
    for c in drawn[2]:
        head = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', c.svg.read_text("utf-8"))
        width, height = (float(x) * 25.4 / 72 for x in head.groups())
        wide = c.name.startswith(("trends", "timeline"))  # on landscape pages
        assert width == pytest.approx(landscape if wide else portrait, abs=0.01), c.name
        heights = style.charts.max_height_mm
        assert height <= (heights.landscape if wide else heights.portrait), c.name
        assert min(size for _, size in svg_texts(c.svg)) >= 8, c.name


def test_drawing_warns_of_nothing(drawn: tuple) -> None:
    """A missing glyph is an error (test_a_character_without_glyph_is_an_error); any other
    warning while drawing (a label that does not fit, a font fallback) is a defect too."""
    caught = drawn[3]
    assert not caught, [str(w.message) for w in caught]


def test_text_is_drawn_in_the_sc_face(drawn: tuple) -> None:
    """Every text names the SC family alone (the PDF sets it in the installed face of that
    name: test_chart_print), as text, not outlines, and the face has every character of it."""
    plan, _, charts, _ = drawn
    face = _sc_face()
    for c in charts:
        svg = c.svg.read_text(encoding="utf-8")
        assert f"<dc:title>{c.caption}</dc:title>" in svg
        styles = svg_text_styles(c.svg)
        assert styles and {s["font-family"] for _, s in styles} == {repr(FAMILY)}, c.name
        assert "<!--" not in svg and not re.search(r"NotoSansCJK|DejaVu", svg), c.name
        missing = {ch for t, _ in styles for ch in t if not face.get_char_index(ord(ch))}
        assert not missing - {" "}, (c.name, missing)
    by_name = {c.name: _words(c.svg) for c in charts}
    assert all(w in by_name["status"] for w in STATUS_WORDS)
    assert all(g.name in by_name["invest-category"] for g in plan.categories)
    divisions = {p.division or "市级及跨区" for p in plan.projects}
    assert all(d in by_name["invest-division"] for d in divisions)
    timeline = "".join(w for name, w in by_name.items() if name.startswith("timeline-"))
    drawn_states = {
        s.status or "待填报" for sp in specs(plan, drawn[1]) for s in getattr(sp, "spans", ())
    }
    assert all(w in timeline for w in [*drawn_states, "年末"])
    if "trends-1" in by_name:
        assert all(w in by_name["trends-1"] for w in ("监测值", "指标值", "目标值"))


def test_every_text_starts_where_matplotlib_placed_it(drawn: tuple) -> None:
    """No text is left for the reader to centre or right-align (`text-anchor`): WeasyPrint
    would draw each such text into a PDF form of its own to move it (test_chart_print);
    each is written from the start matplotlib measured, as the PNG places it."""
    for c in drawn[2]:
        styles = svg_text_styles(c.svg)
        anchored = [t for t, style in styles if style.get("text-anchor", "start") != "start"]
        assert not anchored, (c.name, anchored[:3])
        placed = TEXT.findall(c.svg.read_text(encoding="utf-8"))  # at its start: x and y,
        assert all(' x="' in a or "translate(" in a for a, _ in placed), c.name  # or turned


def test_trend_figures(drawn: tuple) -> None:
    """Every numeric row (each rate of 27 apart) is in a panel or in the table of rows without
    a trend, never both; a figure holds at most `panels` panels and names its 领域."""
    plan, a, charts, _ = drawn
    figures = [c for c in charts if c.name.startswith("trends-")]
    titles = {c.name: [TITLE.match(t) for t, _ in svg_texts(c.svg)] for c in figures}
    panels = {name: [m[1] for m in found if m] for name, found in titles.items()}
    drawn_rows = [label for labels in panels.values() for label in labels]
    steady = [(m.indicator.label, m.rate) for m in steady_measures(plan, a)]
    assert len(drawn_rows) + len(steady) == _numeric_measures(plan, a)
    assert not {label for label, rate in steady if rate is None} & set(drawn_rows)
    most = house_style().charts.panels
    assert all(0 < len(labels) <= most for labels in panels.values()), panels
    for c in figures:
        assert c.caption.endswith(("变化趋势", "）")), c.caption


def test_another_process_gives_the_same_bytes(tmp_path: Path) -> None:
    """Two drawings give the same bytes, even when the second is drawn by a fresh process:
    hash seed, font cache and MPLCONFIGDIR must not show in the output."""
    plan, year = CASES["made-up"]
    local = draw_all(plan, assess(plan, year), tmp_path / "here")
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, 'tests')\n"
        "import jixi_report.compose.charts.draw, matplotlib\n"  # before anything else does
        "assert 'jixi-report' in matplotlib.get_configdir(), matplotlib.get_configdir()\n"
        "from test_charts import CASES\n"
        "from jixi_report.assess.engine import assess\n"
        "from jixi_report.compose.charts.cache import draw_charts\n"
        "plan, year = CASES['made-up']\n"
        "draw_charts(plan, assess(plan, year), Path(sys.argv[1]), cache=False)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "SOURCE_DATE_EPOCH")}
    env["PYTHONHASHSEED"] = "12345"
    env["XDG_CACHE_HOME"] = str(tmp_path / "empty-cache")  # matplotlib builds its font cache anew
    subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "there")],
        cwd=REPO,
        env=env,
        check=True,
        timeout=300,
    )
    for c in local:
        for path in (c.svg, c.png):
            assert path.read_bytes() == (tmp_path / "there" / path.name).read_bytes(), path.name


def test_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan, year = CASES["bare"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    svg = render(specs(plan, assess(plan, year))[0])[0].decode("utf-8")
    assert "<dc:date>2026-01-01T00:00:00+00:00</dc:date>" in svg


def test_excluded_indicators_are_noted(tmp_path: Path) -> None:
    plan, year = CASES["made-up"]
    a = assess(plan, year)
    plain = render(specs(plan, a)[0])[0].decode("utf-8")  # the status chart
    a.counts["reference"].excluded.append(("R9", "不涉及"))
    noted = render(specs(plan, a)[0])[0].decode("utf-8")
    assert "注" not in plain and "不涉及" not in plain
    assert "注：不涉及、未计入统计的指标：参考性指标1项（R9）。" in noted


def test_a_character_without_glyph_is_an_error(tmp_path: Path) -> None:
    plan = load(MINI)
    plan.projects[0] = plan.projects[0].model_copy(update={"name": "北湖区\U0002a6a5污水处理厂"})
    with pytest.raises(BuildError, match=r"chart timeline-1: Glyph 173733 .* missing"):
        draw_all(plan, assess(plan, plan.meta.period.start), tmp_path)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_saving_reads_faces_from_memory_and_puts_matplotlib_back(tmp_path: Path) -> None:
    """While a chart is saved, a face is read through a memory map of its file (not a seek
    and a read system call for each piece FreeType asks for); afterwards, and after a chart
    that failed, matplotlib opens faces and writes SVG texts as it did before."""
    import mmap

    from matplotlib import font_manager
    from matplotlib.backends import backend_svg

    face = font_manager.findfont(font_manager.FontProperties(family=FAMILY))
    renderer, module = backend_svg.RendererSVG, font_manager.ft2font
    with saving():
        drawn = font_manager.get_font(face)  # as a renderer opens it
        assert isinstance(drawn.fname, mmap.mmap)
        listed = font_manager.FontManager().ttflist  # the fonts listed anew: by their files
        assert listed and all(isinstance(entry.fname, str) for entry in listed)
        missing = tmp_path / "missing.ttf"  # FreeType's own error, as without the map
        with pytest.raises(FileNotFoundError):
            font_manager.get_font(str(missing))
    with pytest.raises(BuildError), saving():
        raise BuildError("a chart that failed")
    assert backend_svg.RendererSVG is renderer and font_manager.ft2font is module
    assert font_manager.ft2font.FT2Font(str(face)).fname == str(face)


def _chart_files(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Each chart file's inode (a redrawn file is a new one) and bytes."""
    return {p.name: (p.stat().st_ino, p.read_bytes()) for p in sorted(folder.glob("*.*g"))}


@pytest.mark.parametrize("module", ["draw.py", "saving.py", "svg_tidy.py", "text.py"])
def test_a_change_to_the_drawing_code_redraws_every_chart(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What every chart's picture depends on besides its data changes with any module that
    draws it, writes it or tidies its SVG (an upgrade must not keep pictures of old code)."""
    from jixi_report.compose.charts import cache

    before = cache.drawing()
    read = Path.read_bytes
    changed = Path(cache.__file__).parent / module

    def edited(path: Path) -> bytes:
        return read(path) + (b"# edited" if path == changed else b"")

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert cache.drawing() != before


def test_a_changed_judging_rule_redraws_what_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache keys on what is drawn, not on the data files: a fix to the rules, with the
    content untouched, redraws the status chart and leaves the others alone."""
    args = ["report", "--year", "2025", "--content", str(MINI), "--out", str(tmp_path)]
    args += ["--format", "html"]
    assert main(args) == 0
    folder = tmp_path / "2025" / "charts"
    before = _chart_files(folder)

    judge = engine.judge

    def lenient(rule: Rule, facts: Facts) -> Judgement:  # 保持稳定 now always holds
        j = judge(rule, facts)
        return Judgement(MET, j.basis) if j.basis == "stable" else j

    monkeypatch.setattr(engine, "judge", lenient)
    # A real fix changes a code file, which the outputs' record notices; patched here, so the
    # record (build/.cache/built.json) is dropped for the report to be built again.
    (tmp_path / ".cache" / "built.json").unlink()
    assert main(args) == 0
    after = _chart_files(folder)
    redrawn = {name for name in after if after[name][0] != before[name][0]}
    assert redrawn == {"status.svg", "status.png"}
    assert after["status.svg"][1] != before["status.svg"][1]


def test_no_cache_redraws_every_chart(tmp_path: Path) -> None:
    args = ["report", "--year", "2025", "--content", str(MINI), "--out", str(tmp_path)]
    args += ["--format", "html"]
    assert main(args) == 0
    before = _chart_files(tmp_path / "2025" / "charts")
    assert main([*args, "--no-cache"]) == 0
    after = _chart_files(tmp_path / "2025" / "charts")
    assert after.keys() == before.keys()
    assert all(after[n][0] != before[n][0] and after[n][1] == before[n][1] for n in after)


@pytest.mark.parametrize(
    ("title", "em", "lines"),
    [
        # greedy, these left a character and a unit alone: "…二氧化碳排放下降/率（%）"
        (
            "15 单位地区生产总值二氧化碳排放下降率（%）",
            16.8,
            ["15 单位地区生产总值二", "氧化碳排放下降率（%）"],
        ),
        (
            "7.1 生态质量指数（EQI）的变化值（△EQI）",
            16.8,
            ["7.1 生态质量指数（EQI）", "的变化值（△EQI）"],
        ),
        (
            "20 单位地区生产总值建设用地使用面积下降率（%）",
            16.8,
            ["20 单位地区生产总值建设", "用地使用面积下降率（%）"],
        ),
        ("鸡西市滴道产业园区工业污水处理厂项目", 20, ["鸡西市滴道产业园区工业污水处理厂项目"]),
    ],
)
def test_chart_labels_wrap_into_balanced_lines(title: str, em: float, lines: list[str]) -> None:
    """A chart's title or name takes as few lines as fit its width, of lengths as even as the
    unbreakable runs allow (a figure with its unit, a bracket with what it holds)."""
    assert wrap(title, em) == lines


SIBLINGS = ["14 单位地区生产总值能耗降低率（%）", "13 非化石能源占能源消费总量比重（%）"]
CO2 = "15 单位地区生产总值二氧化碳排放下降率（%）"
LAND = "20 单位地区生产总值建设用地使用面积下降率（%）"
EQI = "7.1 生态质量指数（EQI）的变化值（△EQI）"


@pytest.mark.parametrize(
    ("title", "em", "lines"),
    [
        # where the phrase it shares with a sibling ends, not inside 二氧化碳 or 建设用地
        (CO2, 19.8, ["15 单位地区生产总值", "二氧化碳排放下降率（%）"]),
        (LAND, 19.8, ["20 单位地区生产总值", "建设用地使用面积下降率（%）"]),
        # that break does not fit (11.55 em after it): balanced as without siblings
        (CO2, 11, ["15 单位地区生产总值二", "氧化碳排放下降率（%）"]),
        # nothing shared: balanced
        (EQI, 16.8, ["7.1 生态质量指数（EQI）", "的变化值（△EQI）"]),
        # only 单位 shared: a line of 2 of 16 characters, under a quarter: balanced
        ("单位面积化肥施用量较上年下降比例", 10, ["单位面积化肥施用", "量较上年下降比例"]),
    ],
)
def test_a_title_breaks_where_a_phrase_shared_with_its_siblings_ends(
    title: str, em: float, lines: list[str]
) -> None:
    assert wrap(title, em, [title, *SIBLINGS]) == lines


def test_the_report_s_panel_titles_keep_their_words_whole(real_charts: RealCharts) -> None:
    """图4's panels: 二氧化碳 and 建设用地 each on one line, after 单位地区生产总值."""
    trends = [c for c in real_charts.charts if c.name.startswith("trends")]
    lines = {t for c in trends for t, _ in svg_texts(c.svg)}
    assert {"15 单位地区生产总值", "二氧化碳排放下降率（%）"} <= lines
    assert {"20 单位地区生产总值", "建设用地使用面积下降率（%）"} <= lines


def test_a_hatch_lies_over_a_plain_fill(real_charts: RealCharts) -> None:
    """A hatched shape (图1's dotted statuses, 图10's 前期 bars) is its colour as a plain fill
    with the hatch over it, the pattern's tile the hatch alone: a tile that painted the colour
    too left hairline seams of the page across a bar where the tiles meet, in PDF readers."""
    from lxml import etree

    svg = "{http://www.w3.org/2000/svg}"
    hatched = 0
    for chart in real_charts.charts:
        root = etree.fromstring(chart.svg.read_bytes())
        for pattern in root.iter(f"{svg}pattern"):
            assert not [r for r in pattern.iter(f"{svg}rect") if r.get("fill") != "none"]
        for shape in root.iter():
            if "fill: url(#" not in shape.get("style", ""):
                continue
            hatched += 1
            ground = shape.getprevious()
            assert ground is not None and ground.get("d") == shape.get("d"), chart.name
            assert re.fullmatch(r"fill: #[0-9a-f]{6}; stroke: none", ground.get("style", ""))
    assert hatched >= 3  # the status chart's and the timeline's


def _corner_and_most(png: Path) -> tuple[int, int]:
    """A picture's opacity in its corner, where no chart draws, and its highest."""
    from PIL import Image

    with Image.open(png) as picture:
        alpha = picture.convert("RGBA").getchannel("A")
        return alpha.getpixel((0, 0)), alpha.getextrema()[1]


def test_example_data_s_pictures_let_word_s_watermark_show(
    real_charts: RealCharts, tmp_path: Path
) -> None:
    """Word prints a watermark behind the text: a chart of example data (the real content's
    2025) is clear where it draws nothing, so 示例数据 shows through it; a chart of official
    data (the fictional plan's 2024), with no watermark, is an opaque picture."""
    for chart in real_charts.charts:
        assert _corner_and_most(chart.png) == (0, 255), chart.name
    plan = load(MINI)
    assessment = assess(plan, 2024)
    assert not assessment.example
    for chart in draw_all(plan, assessment, tmp_path):
        assert _corner_and_most(chart.png) == (255, 255), chart.name


def test_a_row_judged_on_two_rates_plots_the_one_that_moves(real_charts: RealCharts) -> None:
    """27 生态环境损害赔偿 has no value of its own, only its rates (启动率 100 every year, 结案率
    83.33 → 85.7 → 88.9): it was in no panel and not in the table of rows without a trend.
    Its 结案率 is a panel, with its part of the standard (≥75) and of the targets (≥85); its
    启动率 a line of that table."""
    from jixi_report.compose.charts.steady import steady_table
    from jixi_report.compose.charts.trends import figures

    plan = real_charts.plan
    a = assess(plan, 2025)
    panels = [p for f in figures(plan, a) for p in f.panels if p.title.startswith("27 ")]
    assert [p.title for p in panels] == ["27 生态环境损害赔偿：案件结案率（%）"]
    (panel,) = panels
    assert [float(v) for _, v in panel.points] == [83.33, 85.7, 88.9]
    assert panel.standard == 75 and {float(t.level) for t in panel.targets} == {85.0}
    table = steady_table(plan, a, "表2")
    assert table is not None
    row = next(r for r in table.body if r[0].text == "27")
    assert [c.text for c in row[1:6]] == [
        "生态环境损害赔偿：案件线索启动率",
        "%",
        "100",
        "100",
        "100",
    ]
    texts = "".join(
        t for c in real_charts.charts if c.name.startswith("trends") for t, _ in svg_texts(c.svg)
    )
    assert "案件结案率" in texts


def test_a_chart_is_the_same_as_matplotlib_saves_it(real_charts: RealCharts) -> None:
    """The drawing skips the save's unseen first pass: the files must be those of a plain
    save, layout and all (one chart of each kind of the real report, each saved by
    matplotlib's own steps here)."""
    import io

    import matplotlib

    from jixi_report.compose.charts import output
    from jixi_report.compose.charts.draw import figure

    a = assess(real_charts.plan, 2025)
    kinds = {s.kind: s for s in reversed(specs(real_charts.plan, a))}  # the first of each
    assert set(kinds) == {"status", "trends", "invest", "timeline"}
    files = {c.name: c for c in real_charts.charts}
    for spec in kinds.values():
        svg, png = io.BytesIO(), io.BytesIO()
        with matplotlib.rc_context(output.rc()):
            fig = figure(spec)
            meta = {"Title": spec.caption}
            if not os.environ.get("SOURCE_DATE_EPOCH"):
                meta["Date"] = None
            with saving():  # as the drawing writes its texts
                fig.savefig(svg, format="svg", metadata=meta)
            fig.set_layout_engine("none")  # the layout the SVG was saved with
            fig.savefig(
                png, format="png", dpi=output.DPI, transparent=spec.clear, **output.PNG_SAVE
            )
        chart = files[spec.name]
        assert chart.svg.read_bytes() == output.tidy(svg.getvalue()), spec.name
        assert chart.png.read_bytes() == png.getvalue(), spec.name
