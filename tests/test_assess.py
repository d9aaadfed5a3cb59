"""The assessment engine against docs/assessment-rules.md, the project's judging rules.

Every test loads the real Table 1 (content/indicators.yaml) once, gives a fresh copy of it the
monitoring data the test needs, and checks what `assess` makes of it. The docstring of each test
names the rule it checks; each section below cites the section of the rules it covers.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixi_report.assess.engine import Assessment, Row, assess
from jixi_report.base.errors import UsageError
from jixi_report.content.load import load
from jixi_report.content.model import Cell, Indicator, Plan, Rule
from jixi_report.content.yearly import Monitoring

D = Decimal
CONTENT = Path(__file__).resolve().parent.parent / "content"
STATUSES = {"met", "not_met", "undecided", "no_data", "not_applicable"}
BASES = {"threshold", "improving", "stable", "qualitative", "superior_task", "composite"}

# year → indicator id → a value (Decimal number or str state) or a mapping of Observation fields
Data = Mapping[int, Mapping[str, Any]]


# ---- helpers --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_plan() -> Plan:
    return load(CONTENT)


def _monitoring(year: int, indicators: Mapping[str, Any]) -> Monitoring:
    obs = {
        key: dict(value) if isinstance(value, Mapping) else {"value": value}
        for key, value in indicators.items()
    }
    return Monitoring.model_validate({"year": year, "data_status": "example", "indicators": obs})


def with_data(
    base: Plan,
    data: Data,
    *,
    indicators: tuple[Indicator, ...] = (),
    zone: str | None = None,
) -> Plan:
    """A copy of the real plan with only `data` as monitoring (and replaced indicators)."""
    plan = copy.copy(base)
    plan.monitoring = {year: _monitoring(year, obs) for year, obs in data.items()}
    replaced = {i.id: i for i in indicators}
    plan.indicators = [replaced.get(i.id, i) for i in base.indicators]
    if zone is not None:
        region = base.meta.region.model_copy(update={"zone": zone})
        plan.meta = base.meta.model_copy(update={"region": region})
    return plan


def run(base: Plan, data: Data, year: int, **kw: Any) -> Assessment:
    return assess(with_data(base, data, **kw), year)


def row_of(result: Assessment, ind_id: str) -> Row:
    return next(r for r in result.rows if r.indicator.id == ind_id)


def judge(base: Plan, data: Data, year: int, ind_id: str, **kw: Any) -> Row:
    """Assess `year` with `data` and return the row of `ind_id`."""
    return row_of(run(base, data, year, **kw), ind_id)


def indicator(plan: Plan, ind_id: str) -> Indicator:
    return next(i for i in plan.indicators if i.id == ind_id)


def task(value: Any = None, met: bool | None = True) -> dict[str, Any]:
    """An observation for a 完成上级规定的考核任务 rule."""
    obs: dict[str, Any] = {"superior_task_met": met}
    if value is not None:
        obs["value"] = value
    return obs


def top_level(plan: Plan, kind: str) -> list[str]:
    return [i.id for i in plan.indicators if i.parent is None and i.kind == kind]


# ---- generated data for every row of Table 1 -------------------------------------------------


def _resolve(rule: Rule, zone: str | None) -> Rule:
    if rule.by_region is not None:
        return next(r.rule for r in rule.by_region if zone in r.regions)
    return rule


def _threshold_values(rule: Rule) -> tuple[Decimal, Decimal] | None:
    """(a value that meets the threshold, one that fails it)."""
    if rule.min is not None:
        return rule.min, rule.min - 1
    if rule.max is not None:
        return rule.max, rule.max + 1
    if rule.equals is not None:
        return rule.equals, rule.equals - 1
    if rule.above is not None:
        return rule.above + 1, rule.above
    return None


def generated(plan: Plan, year: int, which: str, meets: bool) -> dict[int, dict[str, Any]]:
    """Data for `year` (and `year - 1` as "previous") meeting or violating every row's rule.

    `which` is "standard" (指标值) or "target" (the governing milestone's cell). A violation keeps
    superior_task_met true where the rule has a numeric part, so the numeric part is what fails.
    """
    zone = plan.meta.region.zone
    milestone = plan.meta.milestone_for(year)
    now: dict[str, Any] = {}
    before: dict[str, Any] = {}
    for ind in plan.rows:
        if ind.not_applicable:
            continue
        assert ind.standard is not None
        rule = _resolve(
            ind.standard.rule if which == "standard" else ind.targets[milestone].rule, zone
        )
        if rule.state is not None:
            now[ind.id] = rule.state if meets else "未" + rule.state
            continue
        if rule.components is not None:
            good = {k: _threshold_values(r)[0] for k, r in rule.components.items()}
            bad = {k: _threshold_values(r)[1] for k, r in rule.components.items()}
            now[ind.id] = good if meets else {**good, "start_rate": bad["start_rate"]}
            continue
        obs: dict[str, Any] = {}
        threshold = _threshold_values(rule)
        better = D(1) if ind.direction == "higher" else D(-1)
        if threshold is not None:
            previous = threshold[0]
            value = threshold[0] if meets else threshold[1]
        elif rule.improving or rule.stable:
            previous = D(50)
            if rule.improving:
                value = previous + better if meets else previous
            else:
                value = previous if meets else previous - better * (ind.tolerance + 1)
        else:
            previous = value = None
        if value is not None:
            obs["value"] = value
            before[ind.id] = previous
        if rule.superior_task:
            obs["superior_task_met"] = meets or value is not None
        now[ind.id] = obs
    return {year - 1: before, year: now} if year - 1 >= plan.meta.period.start else {year: now}


# ---- docs/assessment-rules.md §1 the plan period ------------------------------------------------


@pytest.mark.parametrize("year", [2023, 2031])
def test_year_outside_the_plan_period_is_a_usage_error(real_plan: Plan, year: int) -> None:
    """Assessment years are the plan period 2024–2030; 2023 is the baseline, not a report year."""
    with pytest.raises(UsageError):
        assess(with_data(real_plan, {}), year)


def test_every_indicator_is_a_row_in_table_order(real_plan: Plan) -> None:
    """Indicator identity: 1…27 with sub-indicators, R1…R5; 45 of the 50 rows carry values."""
    result = run(real_plan, {}, 2024)
    assert [r.indicator.id for r in result.rows] == [i.id for i in real_plan.indicators]
    assert len(real_plan.rows) == 45
    parents = {i.parent for i in real_plan.indicators if i.parent}
    assert parents == {"4", "5", "6", "7", "8"}


# ---- docs/assessment-rules.md §7 the worked cases -----------------------------------------------

WORKED = [
    # id, year, data, status, target_status (None: not in the table), basis of status
    ("4.2", 2024, {"4.2": task(D(27))}, "met", None, "improving"),
    ("4.2", 2024, {"4.2": task(D(29))}, "not_met", None, None),
    ("4.1", 2024, {"4.1": task(D(91), met=False)}, "not_met", None, None),
    ("6.5", 2025, {"6.5": D(95)}, "met", "not_met", None),
    ("13", 2024, {"13": D("10.5")}, "met", None, "improving"),
    ("22", 2025, {"22": D(68)}, "not_met", None, None),
    ("5.4", 2024, {}, "not_applicable", "not_applicable", None),
]


@pytest.mark.parametrize(
    ("ind_id", "year", "data", "status", "target", "basis"),
    WORKED,
    ids=[f"{w[0]}-{w[1]}-{w[3]}" for w in WORKED],
)
def test_worked_cases(
    real_plan: Plan,
    ind_id: str,
    year: int,
    data: dict,
    status: str,
    target: str | None,
    basis: str | None,
) -> None:
    """'A few cases, worked': every row of the table, exactly as stated."""
    row = judge(real_plan, {year: data}, year, ind_id)
    assert row.status.status == status
    if target is not None:
        assert row.target.status == target
    if basis is not None:
        assert row.status.basis == basis


def test_worked_cases_use_the_stated_previous(real_plan: Plan) -> None:
    """Worked cases: 'previous 28' for 4.2 and 'previous 9.7' for 13 are the 2023 baselines."""
    pm25 = judge(real_plan, {2024: {"4.2": task(D(27))}}, 2024, "4.2")
    assert (pm25.previous, pm25.previous_year) == (D(28), 2023)
    energy = judge(real_plan, {2024: {"13": D("10.5")}}, 2024, "13")
    assert (energy.previous, energy.previous_year) == (D("9.7"), 2023)


def test_inputs_are_kept_for_audit(real_plan: Plan) -> None:
    """'Keep the basis with it and every input used, so a reader can audit it.'"""
    row = judge(real_plan, {2024: {"4.2": {**task(D(27)), "source": "市生态环境局"}}}, 2024, "4.2")
    assert row.inputs == {"value": D(27), "superior_task_met": True}
    assert row.value == D(27) and row.previous == D(28)
    assert row.status.basis == "improving" and row.status.missing == []


# ---- docs/assessment-rules.md §3 the rule vocabulary --------------------------------------------


@pytest.mark.parametrize(
    ("ind_id", "value", "status"),
    [
        ("1", D(20), "met"),
        ("1", D("19.9"), "not_met"),
        ("1", D(35), "met"),
        ("6.4", D(35), "met"),
        ("6.4", D("34.99"), "not_met"),
        ("9", D(93), "met"),
        ("21", D("89.9"), "not_met"),
        ("24", D(12), "met"),
        ("24", D("11.9"), "not_met"),
    ],
)
def test_at_least(real_plan: Plan, ind_id: str, value: Decimal, status: str) -> None:
    """Rule vocabulary '≥X': value ≥ X."""
    assert judge(real_plan, {2024: {ind_id: value}}, 2024, ind_id).status.status == status


@pytest.mark.parametrize(
    ("ind_id", "value", "status"),
    [
        ("4.2", D(25), "met"),
        ("4.2", D("25.1"), "not_met"),
        ("5.2", D(25), "met"),
        ("5.2", D("25.1"), "not_met"),
        ("5.2", D(3), "met"),
    ],
)
def test_at_most_inside_a_lower_is_better_rule(
    real_plan: Plan, ind_id: str, value: Decimal, status: str
) -> None:
    """Rule vocabulary '≤X' (part of 4.2, 5.2); previous 24 is better, so only ≤X can pass."""
    data = {2024: {ind_id: task(D(24))}, 2025: {ind_id: task(value)}}
    row = judge(real_plan, data, 2025, ind_id)
    assert row.status.status == status
    if status == "met":
        assert row.status.basis == "threshold"


@pytest.mark.parametrize("ind_id", ["5.3", "6.2", "6.3", "7.3", "16", "23", "25"])
@pytest.mark.parametrize(
    ("value", "status"), [(D(100), "met"), (D("99.9"), "not_met"), (D("100.1"), "not_met")]
)
def test_bare_100_means_equal_to_100(
    real_plan: Plan, ind_id: str, value: Decimal, status: str
) -> None:
    """Rule vocabulary '100 (a bare number for a %)': value = 100."""
    assert indicator(real_plan, ind_id).standard.text == "100"
    row = judge(real_plan, {2024: {ind_id: value}}, 2024, ind_id)
    assert (row.status.status, row.target.status) == (status, status)


@pytest.mark.parametrize(
    ("value", "target"), [(D(70), "met"), (D(75), "met"), (D("69.9"), "not_met")]
)
def test_plain_target_number_means_at_least(real_plan: Plan, value: Decimal, target: str) -> None:
    """Rule vocabulary: a plain target number for a higher-is-better indicator (6.1 '70') is ≥70."""
    ind = indicator(real_plan, "6.1")
    assert ind.targets[2025].text == "70" and ind.direction == "higher"
    row = judge(real_plan, {2025: {"6.1": value}}, 2025, "6.1")
    assert row.target.status == target


@pytest.mark.parametrize(
    ("value", "status", "basis"),
    [
        (D(25), "met", "threshold"),
        (D(30), "met", "threshold"),
        (D("10.5"), "met", "improving"),
        (D("9.7"), "not_met", None),
        (D(9), "not_met", None),
    ],
)
def test_at_least_or_rising(
    real_plan: Plan, value: Decimal, status: str, basis: str | None
) -> None:
    """Rule vocabulary '≥X或持续提高' (13: ≥25 or above the previous 9.7)."""
    row = judge(real_plan, {2024: {"13": value}}, 2024, "13")
    assert row.status.status == status
    if basis:
        assert row.status.basis == basis


@pytest.mark.parametrize(
    ("ind_id", "value", "status"),
    [
        ("4.2", D("27.9"), "met"),  # below the previous 28
        ("4.2", D(28), "not_met"),  # level is no improvement
        ("5.2", D(29), "met"),  # 持续改善: below the previous 30
        ("5.2", D(30), "not_met"),
        ("5.2", D(31), "not_met"),
    ],
)
def test_at_most_or_falling(real_plan: Plan, ind_id: str, value: Decimal, status: str) -> None:
    """Rule vocabulary '≤X或持续下降' / '≤X或持续改善' (lower is better): ≤X or below previous."""
    data = {2024: {"5.2": task(D(30))}, 2025: {ind_id: task(value)}}
    if ind_id == "4.2":
        data = {2024: {"4.2": task(D(28))}, 2025: {"4.2": task(value)}}
    assert judge(real_plan, data, 2025, ind_id).status.status == status


@pytest.mark.parametrize(
    ("ind_id", "previous", "value", "status"),
    [
        ("R4", D(1000), D(1200), "met"),
        ("R4", D(1000), D(1000), "not_met"),
        ("R4", D(1000), D(900), "not_met"),
        ("R3", D(10), D(9), "met"),
        ("R3", D(10), D(10), "not_met"),
        ("R3", D(10), D(11), "not_met"),
    ],
)
def test_rising_and_falling(
    real_plan: Plan, ind_id: str, previous: Decimal, value: Decimal, status: str
) -> None:
    """Rule vocabulary '持续提高' (R4): value > previous; '持续下降' (R3): value < previous."""
    data = {2024: {ind_id: previous}, 2025: {ind_id: value}}
    row = judge(real_plan, data, 2025, ind_id)
    assert (row.status.status, row.target.status) == (status, status)
    assert row.status.basis == "improving"


def test_rising_target_can_fail_where_the_standard_passes(real_plan: Plan) -> None:
    """'持续提高' as 13's target: 30 → 25 meets the standard ≥25 but is no rise."""
    row = judge(real_plan, {2024: {"13": D(30)}, 2025: {"13": D(25)}}, 2025, "13")
    assert (row.status.status, row.target.status) == ("met", "not_met")


@pytest.mark.parametrize(
    ("tolerance", "value", "status"),
    [
        (D(0), D(40), "met"),
        (D(0), D(41), "met"),
        (D(0), D("39.9"), "not_met"),
        (D("0.5"), D("39.5"), "met"),
        (D("0.5"), D("39.4"), "not_met"),
    ],
)
def test_stable_higher_is_better(
    real_plan: Plan, tolerance: Decimal, value: Decimal, status: str
) -> None:
    """'保持稳定或持续改善' / '保持稳定' (8.1): value ≥ previous − tolerance (default 0)."""
    ind = indicator(real_plan, "8.1")
    assert ind.tolerance == 0
    if tolerance:
        ind = ind.model_copy(update={"tolerance": tolerance})
    data = {2024: {"8.1": D(40)}, 2025: {"8.1": value}}
    row = judge(real_plan, data, 2025, "8.1", indicators=(ind,))
    assert (row.status.status, row.target.status) == (status, status)
    assert row.status.basis == "stable"


@pytest.mark.parametrize(
    ("value", "status"),
    [(D(10), "met"), (D("10.5"), "met"), (D("10.6"), "not_met"), (D(9), "met")],
)
def test_stable_lower_is_better_is_mirrored(real_plan: Plan, value: Decimal, status: str) -> None:
    """'保持稳定': mirrored for lower-is-better, value ≤ previous + tolerance (18 made lower)."""
    lower = {"direction": "lower", "tolerance": D("0.5")}
    ind = indicator(real_plan, "18").model_copy(update=lower)
    data = {2024: {"18": D(10)}, 2025: {"18": value}}
    assert judge(real_plan, data, 2025, "18", indicators=(ind,)).status.status == status


@pytest.mark.parametrize(
    ("value", "status"), [(D("62.5"), "met"), (D(70), "met"), (D(62), "not_met")]
)
def test_superior_task_and_stable(real_plan: Plan, value: Decimal, status: str) -> None:
    """'完成上级…；且保持稳定或持续改善' (5.1, previous: baseline 62.5)."""
    row = judge(real_plan, {2024: {"5.1": task(value)}}, 2024, "5.1")
    assert row.status.status == status


@pytest.mark.parametrize("ind_id", ["14", "15", "17", "19", "20", "R2"])
@pytest.mark.parametrize(
    ("obs", "status"),
    [(task(), "met"), (task(met=False), "not_met"), (task(met=None), "no_data"), (None, "no_data")],
    ids=["true", "false", "flag-missing", "no-observation"],
)
def test_superior_task(real_plan: Plan, ind_id: str, obs: dict | None, status: str) -> None:
    """'完成上级规定的考核任务': superior_task_met true → met, false → not_met,
    missing → no_data."""
    data = {2024: {ind_id: obs}} if obs is not None else {2024: {}}
    row = judge(real_plan, data, 2024, ind_id)
    assert (row.status.status, row.target.status) == (status, status)
    assert row.status.basis == "superior_task"
    if status == "no_data":
        assert row.status.missing, "the report must say which flag is missing"


@pytest.mark.parametrize(
    ("obs", "status"),
    [
        (task(D(91)), "met"),
        (task(D(96)), "met"),  # also above the previous 95
        (task(D(89)), "not_met"),  # below 90 and below the previous 95
        (task(D(91), met=False), "not_met"),
        (task(D(95), met=False), "not_met"),
        (task(met=False), "not_met"),
        (task(D(91), met=None), "no_data"),
        (task(), "no_data"),  # the flag alone is not enough: the value is needed too
    ],
)
def test_superior_task_and_threshold_or_rising(real_plan: Plan, obs: dict, status: str) -> None:
    """'完成上级规定的考核任务，且…' (4.1): superior_task_met AND (≥90 or above previous)."""
    row = judge(real_plan, {2024: {"4.1": obs}}, 2024, "4.1")
    assert row.status.status == status


def test_superior_task_and_rising_below_threshold(real_plan: Plan) -> None:
    """'完成上级…，且≥90或持续提高': 89 after 88 is a rise, so 4.1 is met although below 90."""
    data = {2024: {"4.1": task(D(88))}, 2025: {"4.1": task(D(89))}}
    row = judge(real_plan, data, 2025, "4.1")
    assert (row.status.status, row.status.basis) == ("met", "improving")


@pytest.mark.parametrize(
    ("value", "status"),
    [(D("-0.5"), "met"), (D("0.3"), "met"), (D(-1), "not_met"), (D("-1.2"), "not_met")],
)
def test_delta_eqi_above_minus_one(real_plan: Plan, value: Decimal, status: str) -> None:
    """'△EQI＞-1' (7.1): the value is the year's ΔEQI; met when strictly greater than −1."""
    row = judge(real_plan, {2024: {"7.1": value}}, 2024, "7.1")
    assert (row.status.status, row.target.status) == (status, status)


QUALITATIVE = [
    # id, year, reported state, judgement checked, expected
    ("2", 2024, "建立", "status", "met"),
    ("2", 2024, "完善", "status", "met"),  # 完善 satisfies 建立
    ("2", 2024, "开展", "status", "not_met"),
    ("3", 2024, "开展", "status", "met"),
    ("3", 2024, "有效开展", "status", "met"),  # 有效开展 satisfies 开展
    ("3", 2026, "开展", "target", "not_met"),  # 2030 target 有效开展: 开展 is not enough
    ("11", 2024, "有效开展", "status", "met"),
    ("11", 2024, "开展", "status", "not_met"),  # not the reverse
    ("7.4", 2024, "开展", "status", "met"),
    ("10", 2024, "有效保障", "status", "met"),
    ("10", 2024, "建立", "status", "not_met"),
    ("12", 2030, "完善", "target", "met"),
    ("12", 2030, "建立", "target", "not_met"),  # 2030 target 完善: 建立 is not enough
    ("26", 2030, "建立", "status", "met"),
    ("7.2", 2024, "生态功能不降低、性质不改变", "status", "met"),
    ("7.2", 2024, "生态功能降低", "status", "not_met"),
    ("R5", 2024, "建立", "status", "met"),
    ("R5", 2024, "未建立", "status", "not_met"),
]


@pytest.mark.parametrize(("ind_id", "year", "state", "which", "expected"), QUALITATIVE)
def test_qualitative_states(
    real_plan: Plan, ind_id: str, year: int, state: str, which: str, expected: str
) -> None:
    """'建立 / 开展 / 有效开展 / 有效保障 / 完善 / 生态功能不降低、性质不改变': the state must equal
    the required one; 完善 and 有效开展 also satisfy 建立 and 开展, not the reverse."""
    row = judge(real_plan, {year: {ind_id: state}}, year, ind_id)
    judgement = row.status if which == "status" else row.target
    assert (judgement.status, judgement.basis) == (expected, "qualitative")


@pytest.mark.parametrize("ind_id", ["2", "3", "7.2", "7.4", "10", "11", "12", "26", "R5"])
def test_qualitative_without_a_state_is_no_data(real_plan: Plan, ind_id: str) -> None:
    """Qualitative rows: no reported state → no_data (待填报), naming what is missing."""
    row = judge(real_plan, {2024: {}}, 2024, ind_id)
    assert (row.status.status, row.target.status) == ("no_data", "no_data")
    assert row.status.missing


@pytest.mark.parametrize(
    ("year", "obs", "status", "target"),
    [
        (2025, {"start_rate": D(100), "closure_rate": D(80)}, "met", "not_met"),
        (2025, {"start_rate": D(100), "closure_rate": D(75)}, "met", "not_met"),
        (2025, {"start_rate": D(100), "closure_rate": D(85)}, "met", "met"),
        (2025, {"start_rate": D(100), "closure_rate": D("74.9")}, "not_met", "not_met"),
        (2025, {"start_rate": D(90), "closure_rate": D(90)}, "not_met", "not_met"),
        (2025, {"start_rate": D(100)}, "no_data", "no_data"),
        (2025, {"closure_rate": D(90)}, "no_data", "no_data"),
    ],
)
def test_composite_case_rates(
    real_plan: Plan, year: int, obs: dict, status: str, target: str
) -> None:
    """'案件线索启动率100%，且案件结案率≥75%' (27): both must hold; target 2025 needs ≥85."""
    row = judge(real_plan, {year: {"27": obs}}, year, "27")
    assert (row.status.status, row.target.status) == (status, target)
    assert row.status.basis == "composite"
    if status == "no_data":
        assert row.status.missing


@pytest.mark.parametrize("ind_id", ["1", "13", "4.1", "8.1", "27", "R1"])
def test_not_applicable_value(real_plan: Plan, ind_id: str) -> None:
    """'不涉及' as the city's value → not_applicable, with the reason kept."""
    row = judge(real_plan, {2024: {ind_id: "不涉及"}}, 2024, ind_id)
    assert (row.status.status, row.target.status) == ("not_applicable", "not_applicable")
    assert "不涉及" in row.status.reason


@pytest.mark.parametrize("ind_id", ["5.4", "8.3"])
@pytest.mark.parametrize("obs", [None, task(), task(met=False)], ids=["none", "true", "false"])
def test_marked_not_applicable_rows(real_plan: Plan, ind_id: str, obs: dict | None) -> None:
    """A ※ indicator the plan marks 不涉及 (5.4, 8.3) is not_applicable whatever is reported."""
    data = {2024: {ind_id: obs}} if obs else {2024: {}}
    row = judge(real_plan, data, 2024, ind_id)
    assert (row.status.status, row.target.status) == ("not_applicable", "not_applicable")
    assert row.status.reason == "不涉及"


@pytest.mark.parametrize(
    ("zone", "value", "status", "target"),
    [
        (None, D("43.35"), "met", "not_met"),  # the plan's own zone: 东北地区 → ≥30; target ≥45
        (None, D(40), "met", "not_met"),
        (None, D(30), "met", "not_met"),
        (None, D("29.9"), "not_met", "not_met"),
        (None, D(45), "met", "met"),
        ("东部地区", D("43.35"), "not_met", "not_met"),  # another zone's row: ≥60
        ("东部地区", D(60), "met", "met"),
    ],
)
def test_region_dependent_standard(
    real_plan: Plan, zone: str | None, value: Decimal, status: str, target: str
) -> None:
    """Region-dependent standard (R1: 东北地区 ≥30): the row for the plan's region applies."""
    if zone is None:
        assert real_plan.meta.region.zone == "东北地区"
    row = judge(real_plan, {2024: {"R1": value}}, 2024, "R1", zone=zone)
    assert (row.status.status, row.target.status) == (status, target)


# ---- docs/assessment-rules.md §2 the previous value ---------------------------------------------


def test_previous_in_2024_is_the_baseline(real_plan: Plan) -> None:
    """'previous': for 2024 that is the 2023 baseline (现状值)."""
    row = judge(real_plan, {2024: {"4.2": task(D("27.5"))}}, 2024, "4.2")
    assert (row.previous, row.previous_year) == (D(28), real_plan.meta.base_year)
    assert row.status.status == "met"


def test_previous_in_2025_is_the_2024_value(real_plan: Plan) -> None:
    """'previous': for 2025 it is 2024's monitoring value (26), not the baseline (28)."""
    data = {2024: {"4.2": task(D(26))}, 2025: {"4.2": task(D(27))}}
    row = judge(real_plan, data, 2025, "4.2")
    assert (row.previous, row.previous_year) == (D(26), 2024)
    assert row.status.status == "not_met"  # 27 is below 28 but above 26


@pytest.mark.parametrize(
    "data_2024",
    [{}, {"4.2": task(met=True)}, {"4.1": task(D(96))}],
    ids=["no-row", "flag-only", "other-rows"],
)
def test_previous_falls_back_to_the_baseline(real_plan: Plan, data_2024: dict) -> None:
    """'previous' is the nearest earlier year that has one: 2024 without a 4.2 value → baseline."""
    data = {2024: data_2024, 2025: {"4.2": task(D(27))}}
    row = judge(real_plan, data, 2025, "4.2")
    assert (row.previous, row.previous_year) == (D(28), 2023)
    assert row.status.status == "met"


def test_previous_is_the_nearest_earlier_year(real_plan: Plan) -> None:
    """'previous' is the nearest earlier year that has one: 2026 uses 2025, not 2024."""
    data = {2024: {"R4": D(1200)}, 2025: {"R4": D(1000)}, 2026: {"R4": D(1100)}}
    row = judge(real_plan, data, 2026, "R4")
    assert (row.previous, row.previous_year) == (D(1000), 2025)
    assert row.status.status == "met"


def test_previous_skips_a_year_without_a_value(real_plan: Plan) -> None:
    """'previous' is the nearest earlier year with a value: 2026 after a gap in 2025 uses 2024."""
    data = {2024: {"R4": D(1000)}, 2025: {}, 2026: {"R4": D(1100)}}
    row = judge(real_plan, data, 2026, "R4")
    assert (row.previous, row.previous_year) == (D(1000), 2024)
    assert row.status.status == "met"


@pytest.mark.parametrize(
    ("ind_id", "value"),
    [("R4", D(1000)), ("R3", D(5)), ("8.1", D(40)), ("18", D(80)), ("5.2", task(D(30)))],
)
def test_no_previous_is_undecided_naming_the_previous_value(
    real_plan: Plan, ind_id: str, value: Any
) -> None:
    """§1, §2: a year that reported its value but has nothing to compare it with is 无法判定,
    not 待填报, and says which value is missing (2024 rows whose baselines state only a rule, no
    number; 5.2 at 30 fails ≤25, so its 持续改善 branch decides)."""
    assert indicator(real_plan, ind_id).baseline.value is None
    row = judge(real_plan, {2024: {ind_id: value}}, 2024, ind_id)
    assert row.previous is None and row.previous_year is None
    assert (row.status.status, row.target.status) == ("undecided", "undecided")
    assert any("上一年度" in m for m in row.status.missing), row.status.missing
    assert not any("本年度" in m for m in row.status.missing), "this year's value was given"


def test_no_previous_does_not_matter_when_the_threshold_is_met(real_plan: Plan) -> None:
    """'≤X或持续改善' is an 'or': 5.2 (no baseline number) at 20 in 2024 is met by the threshold."""
    row = judge(real_plan, {2024: {"5.2": task(D(20))}}, 2024, "5.2")
    assert (row.status.status, row.status.basis) == ("met", "threshold")


# ---- docs/assessment-rules.md §1 the governing milestone ----------------------------------------


@pytest.mark.parametrize(
    ("year", "milestone"),
    [
        (2024, 2025),
        (2025, 2025),
        (2026, 2030),
        (2027, 2030),
        (2028, 2030),
        (2029, 2030),
        (2030, 2030),
    ],
)
def test_governing_milestone(real_plan: Plan, year: int, milestone: int) -> None:
    """target_status: 目标值（2025年） up to 2025, 远期规划值（2030年） for 2026–2030."""
    result = run(real_plan, {}, year)
    assert {r.milestone for r in result.rows} == {milestone}


@pytest.mark.parametrize(
    ("year", "target"),
    [(2024, "met"), (2025, "met"), (2026, "not_met"), (2030, "not_met")],
)
def test_target_follows_the_milestone(real_plan: Plan, year: int, target: str) -> None:
    """target_status: 9 at 94 meets the 2025 target ≥93 but not the 2030 target ≥95."""
    row = judge(real_plan, {year: {"9": D(94)}}, year, "9")
    assert (row.status.status, row.target.status) == ("met", target)


# ---- docs/assessment-rules.md §4 parent indicators ----------------------------------------------

PM_MET, PM_NOT_MET = task(D(24)), task(D(29))
GOOD_DAYS_MET, GOOD_DAYS_NOT_MET = task(D(96)), task(D(89))


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"4.1": GOOD_DAYS_MET, "4.2": PM_MET}, "met"),
        ({"4.1": GOOD_DAYS_NOT_MET, "4.2": PM_MET}, "not_met"),
        ({"4.1": GOOD_DAYS_MET, "4.2": PM_NOT_MET}, "not_met"),
        ({"4.1": GOOD_DAYS_MET}, "no_data"),
        ({"4.1": GOOD_DAYS_MET, "4.2": task(D(24), met=None)}, "no_data"),
        ({"4.1": GOOD_DAYS_NOT_MET}, "not_met"),  # one not met outweighs one lacking data
        ({}, "no_data"),
    ],
)
def test_parent_rolls_up_its_sub_indicators(real_plan: Plan, data: dict, status: str) -> None:
    """'An indicator with sub-indicators is met only when every applicable sub-indicator is met.'"""
    parent = judge(real_plan, {2024: data}, 2024, "4")
    assert parent.status.status == status
    assert parent.target.status == status
    assert [c.indicator.id for c in parent.children] == ["4.1", "4.2"]


def test_parent_rolls_up_status_and_target_separately(real_plan: Plan) -> None:
    """Roll-up of each judgement: 6.5 at 95 meets its standard ≥85 but not its target 100, so
    6 is met against the standard and not met against the 2025 target."""
    data = {"6.1": D(70), "6.2": D(100), "6.3": D(100), "6.4": D(35), "6.5": D(95)}
    parent = judge(real_plan, {2025: data}, 2025, "6")
    assert [c.status.status for c in parent.children] == ["met"] * 5
    assert (parent.status.status, parent.target.status) == ("met", "not_met")


def test_parent_ignores_a_not_applicable_sub_indicator(real_plan: Plan) -> None:
    """Roll-up: 5 is met when 5.1–5.3 are met; 5.4 (不涉及) does not count."""
    data = {"5.1": task(D("62.5")), "5.2": task(D(20)), "5.3": D(100)}
    parent = judge(real_plan, {2024: data}, 2024, "5")
    assert [c.status.status for c in parent.children] == ["met", "met", "met", "not_applicable"]
    assert (parent.status.status, parent.target.status) == ("met", "met")


def test_parent_whose_sub_indicators_are_all_not_applicable(real_plan: Plan) -> None:
    """Roll-up and counts: 8 with 8.1, 8.2 reported 不涉及 (8.3 is ※ 不涉及) is not_applicable,
    left out of the counts and listed with its reason."""
    result = run(real_plan, {2024: {"8.1": "不涉及", "8.2": "不涉及"}}, 2024)
    parent = row_of(result, "8")
    assert parent.status.status == "not_applicable"
    assert "不涉及" in parent.status.reason
    excluded = dict(result.counts["binding"].excluded)
    assert "8" in excluded and "不涉及" in excluded["8"]
    assert result.counts["binding"].total == len(top_level(real_plan, "binding")) - 1


def test_counts_leave_out_not_applicable_indicators_with_the_reason(real_plan: Plan) -> None:
    """'不涉及 … left out of every count, with the reason shown' (1 reported 不涉及)."""
    result = run(real_plan, {2024: {"1": "不涉及"}}, 2024)
    binding = len(top_level(real_plan, "binding"))
    for counts in (result.counts, result.target_counts):
        assert counts["binding"].excluded == [("1", "不涉及")]
        assert (counts["binding"].met, counts["binding"].not_met) == (0, 0)
        assert counts["binding"].no_data == counts["binding"].total == binding - 1
        assert counts["reference"].excluded == []


# ---- docs/assessment-rules.md §5 counting -------------------------------------------------------


@pytest.mark.parametrize("year", range(2024, 2031))
def test_counts_without_monitoring_are_all_no_data(real_plan: Plan, year: int) -> None:
    """The 27 + 5 split is data: with no monitoring every top-level indicator is no_data."""
    result = run(real_plan, {}, year)
    for counts in (result.counts, result.target_counts):
        assert set(counts) == {"binding", "reference"}
        for kind, c in counts.items():
            n = len(top_level(real_plan, kind))
            assert (c.met, c.not_met, c.no_data, c.excluded) == (0, 0, n, [])


@pytest.mark.parametrize("year", [2025, 2030])
def test_counts_with_every_standard_met(real_plan: Plan, year: int) -> None:
    """Summary counts with data meeting every standard: all top-level indicators met; one row
    turned not met (22 at 68) moves exactly one binding indicator to not_met."""
    data = generated(real_plan, year, "standard", meets=True)
    result = run(real_plan, data, year)
    for kind, c in result.counts.items():
        assert (c.met, c.not_met, c.no_data, c.excluded) == (
            len(top_level(real_plan, kind)),
            0,
            0,
            [],
        )
    data[year]["22"] = {"value": D(68)}
    c = run(real_plan, data, year).counts["binding"]
    assert (c.met, c.not_met, c.no_data) == (len(top_level(real_plan, "binding")) - 1, 1, 0)


@pytest.mark.parametrize("year", [2025, 2030])
def test_target_counts_with_every_target_met(real_plan: Plan, year: int) -> None:
    """Summary counts against the governing milestone targets, with data meeting every target."""
    result = run(real_plan, generated(real_plan, year, "target", meets=True), year)
    for kind, c in result.target_counts.items():
        assert (c.met, c.not_met, c.no_data) == (len(top_level(real_plan, kind)), 0, 0)


def test_standard_data_need_not_meet_the_stricter_targets(real_plan: Plan) -> None:
    """'target_status … can be stricter than the standard': 6.5 at 85, 24 at 12, 27 at 75."""
    result = run(real_plan, generated(real_plan, 2025, "standard", meets=True), 2025)
    for ind_id in ("6.5", "24", "27", "R1"):
        row = row_of(result, ind_id)
        assert (row.status.status, row.target.status) == ("met", "not_met"), ind_id
    assert result.counts["binding"].not_met == result.counts["reference"].not_met == 0
    assert result.target_counts["binding"].not_met >= 3  # 6, 24, 27
    assert result.target_counts["reference"].not_met >= 1  # R1


# ---- docs/assessment-rules.md §3 every row of Table 1 -------------------------------------------


@pytest.mark.parametrize("year", range(2024, 2031))
def test_every_row_without_data(real_plan: Plan, year: int) -> None:
    """Every one of the 45 rows gets a status and a target status; with no data they are
    no_data (待填报), except the rows the plan marks 不涉及."""
    result = run(real_plan, {}, year)
    rows = [r for r in result.rows if r.indicator.has_values]
    assert len(rows) == len(real_plan.rows)
    for r in rows:
        assert r.status.status in STATUSES and r.target.status in STATUSES
    expected = {i.id: "not_applicable" if i.not_applicable else "no_data" for i in real_plan.rows}
    assert {r.indicator.id: r.status.status for r in rows} == expected
    assert {r.indicator.id: r.target.status for r in rows} == expected
    assert all(r.status.missing for r in rows if r.status.status == "no_data")


@pytest.mark.parametrize("which", ["standard", "target"])
@pytest.mark.parametrize("year", [2025, 2026, 2030])
def test_every_row_met_by_data_satisfying_its_rule(real_plan: Plan, year: int, which: str) -> None:
    """Every applicable row is met when its data satisfy its rule (指标值, or the target)."""
    result = run(real_plan, generated(real_plan, year, which, meets=True), year)
    rows = [r for r in result.rows if r.indicator.has_values]
    got = {r.indicator.id: (r.status if which == "standard" else r.target).status for r in rows}
    expected = {i.id: "not_applicable" if i.not_applicable else "met" for i in real_plan.rows}
    assert got == expected
    for r in rows:
        if not r.indicator.not_applicable:
            assert (r.status if which == "standard" else r.target).basis in BASES


@pytest.mark.parametrize("which", ["standard", "target"])
@pytest.mark.parametrize("year", [2025, 2026, 2030])
def test_every_row_not_met_by_data_violating_its_rule(
    real_plan: Plan, year: int, which: str
) -> None:
    """Every applicable row is not_met when its data violate its rule."""
    result = run(real_plan, generated(real_plan, year, which, meets=False), year)
    rows = [r for r in result.rows if r.indicator.has_values]
    got = {r.indicator.id: (r.status if which == "standard" else r.target).status for r in rows}
    expected = {i.id: "not_applicable" if i.not_applicable else "not_met" for i in real_plan.rows}
    assert got == expected


# ---- docs/assessment-rules.md §6 progress on the milestone path ---------------------------------


@pytest.mark.parametrize(
    ("ind_id", "year", "data", "expected", "target"),
    [
        ("22", 2024, {2024: {"22": D(55)}}, D("59.7"), D(70)),  # 49.4 + (70 − 49.4) / 2
        ("22", 2025, {2025: {"22": D(55)}}, D(70), D(70)),
        ("22", 2028, {2028: {"22": D(55)}}, D(70), D(70)),  # 2025 → 2030 targets both 70
        ("4.2", 2024, {2024: {"4.2": task(D(28))}}, D("26.5"), D(25)),  # 28 + (25 − 28) / 2
        ("4.2", 2025, {2024: {"4.2": task(D(27))}, 2025: {"4.2": task(D(27))}}, D(25), D(25)),
    ],
)
def test_progress_expected_value_on_the_milestone_path(
    real_plan: Plan, ind_id: str, year: int, data: dict, expected: Decimal, target: Decimal
) -> None:
    """Progress: the expected value for the year on the straight path baseline → 2025 target →
    2030 target, and the governing milestone's target."""
    row = judge(real_plan, data, year, ind_id)
    assert row.progress is not None
    assert row.progress.expected == expected
    assert row.progress.target == target


@pytest.mark.parametrize(
    ("year", "expected", "target"),
    [(2024, D("59.7"), D(70)), (2025, D(70), D(70)), (2027, D(74), D(80)), (2030, D(80), D(80))],
)
def test_progress_path_has_a_second_leg(
    real_plan: Plan, year: int, expected: Decimal, target: Decimal
) -> None:
    """Progress path 2025 target → 2030 target: 22 with a 2030 target of ≥80 gives 74 in 2027."""
    ind = indicator(real_plan, "22")
    targets = {**ind.targets, 2030: Cell(text="≥80", rule=Rule(min=D(80)))}
    ind = ind.model_copy(update={"targets": targets})
    row = judge(real_plan, {year: {"22": D(60)}}, year, "22", indicators=(ind,))
    assert row.progress is not None
    assert (row.progress.expected, row.progress.target) == (expected, target)


def test_progress_ratio_is_actual_over_required_change(real_plan: Plan) -> None:
    """Progress: the ratio of actual to required change; 22 in 2024 at 59.5: 10.1 / 10.3."""
    row = judge(real_plan, {2024: {"22": D("59.5")}}, 2024, "22")
    assert row.progress is not None and row.progress.ratio is not None
    assert abs(row.progress.ratio - D("10.1") / D("10.3")) < D("0.005")


@pytest.mark.parametrize(
    ("year", "value", "category"),
    [
        (2024, D(70), "achieved"),
        (2025, D(75), "achieved"),
        (2024, D("59.5"), "substantial"),  # 10.1 / 10.3 ≈ 0.98
        (2025, D("68.97"), "substantial"),  # 19.57 / 20.6 = 0.95 exactly
        (2024, D(56), "moderate"),  # 6.6 / 10.3 ≈ 0.64
        (2025, D("68.56"), "moderate"),  # 19.16 / 20.6 = 0.93
        (2025, D("61.76"), "moderate"),  # 12.36 / 20.6 = 0.60 exactly
        (2024, D(52), "limited"),  # 2.6 / 10.3 ≈ 0.25
        (2024, D(55), "limited"),  # 5.6 / 10.3 ≈ 0.54
        (2024, D("49.4"), "limited"),  # 0: no change at all
        (2024, D(48), "deterioration"),  # −1.4 / 10.3 < 0
    ],
)
def test_progress_classes_higher_is_better(
    real_plan: Plan, year: int, value: Decimal, category: str
) -> None:
    """Progress classes (Eurostat / Open SDG) for 22 绿色出行比例, baseline 49.4 → 70:
    ≥0.95 substantial, 0.60–0.95 moderate, 0–0.60 limited, <0 deterioration, reached: achieved."""
    row = judge(real_plan, {year: {"22": value}}, year, "22")
    assert row.progress is not None
    assert row.progress.category == category


@pytest.mark.parametrize(
    ("value", "category"),
    [
        (D("68.96"), "moderate"),  # 19.56 / 20.6 = 0.9495… < 0.95
        (D("61.75"), "limited"),  # 12.35 / 20.6 = 0.5995… < 0.60
        (D("49.35"), "deterioration"),  # −0.05 / 20.6 = −0.0024… < 0: worse than the baseline
    ],
)
def test_progress_class_boundaries_are_not_rounded(
    real_plan: Plan, value: Decimal, category: str
) -> None:
    """Progress classes: the ratio is compared with 0.95 / 0.60 / 0 as it is (22 in 2025)."""
    row = judge(real_plan, {2025: {"22": value}}, 2025, "22")
    assert row.progress is not None
    assert row.progress.category == category


@pytest.mark.parametrize(
    ("year", "previous", "value", "category", "ratio"),
    [
        (2025, D(24), D(24), "achieved", None),
        (2025, D("25.1"), D("25.1"), "substantial", D("2.9") / 3),  # −2.9 / −3
        (2025, D("25.5"), D("25.5"), "moderate", D("2.5") / 3),
        (2025, D(27), D(27), "limited", D(1) / 3),
        (2025, D(28), D(28), "limited", D(0)),
        (2025, D(29), D(29), "deterioration", -D(1) / 3),  # +1 / −3: PM2.5 went up
        (2024, None, D(28), "limited", D(0)),
        (2024, None, D(29), "deterioration", -D(1) / D("1.5")),
    ],
)
def test_progress_classes_lower_is_better(
    real_plan: Plan,
    year: int,
    previous: Decimal | None,
    value: Decimal,
    category: str,
    ratio: Decimal | None,
) -> None:
    """Progress for a lower-is-better row (4.2 PM2.5, baseline 28 → ≤25): a fall is progress, a
    rise is deterioration. The previous value equals this year's so the 持续下降 branch of the
    target stays unmet and the class comes from the path alone."""
    data: dict[int, dict[str, Any]] = {year: {"4.2": task(value)}}
    if previous is not None:
        data[year - 1] = {"4.2": task(previous)}
    row = judge(real_plan, data, year, "4.2")
    assert row.progress is not None
    assert row.progress.category == category
    if ratio is not None:
        assert row.progress.ratio is not None
        assert abs(row.progress.ratio - ratio) < D("0.005")


@pytest.mark.parametrize(
    ("ind_id", "value"),
    [("2", "建立"), ("12", "完善"), ("7.2", "生态功能不降低、性质不改变"), ("R5", "建立")],
)
def test_qualitative_rows_have_no_progress(real_plan: Plan, ind_id: str, value: str) -> None:
    """Progress is only 'for a numeric indicator with a numeric target': none for a state."""
    row = judge(real_plan, {2025: {ind_id: value}}, 2025, ind_id)
    assert row.status.status == "met"
    assert row.progress is None


@pytest.mark.parametrize(
    ("ind_id", "obs"),
    [
        ("13", D(12)),  # target 持续提高: no numeric target
        ("R4", D(1000)),  # neither a numeric baseline nor a numeric target
        ("27", {"start_rate": D(100), "closure_rate": D(90)}),  # composite, no single value
        ("14", {"superior_task_met": True}),  # a flag only
    ],
)
def test_rows_without_a_numeric_path_have_no_progress(
    real_plan: Plan, ind_id: str, obs: Any
) -> None:
    """Progress needs a numeric baseline, value and target; otherwise there is none."""
    assert judge(real_plan, {2025: {ind_id: obs}}, 2025, ind_id).progress is None


def test_every_row_records_its_direction(real_plan: Plan) -> None:
    """'Record direction (higher/lower is better) per indicator; never default it silently.'"""
    assert {i.id: i.direction for i in real_plan.rows if i.direction is None} == {}
    for ind in real_plan.rows:
        numeric = ind.standard.rule.state is None
        assert (ind.direction in ("higher", "lower")) == numeric, ind.id


@pytest.mark.parametrize(
    ("obs", "category"),
    [
        (task(D(96)), "achieved"),  # 96 ≥ 90: the target is met
        (task(D(91), met=False), "deterioration"),  # 91 < the baseline's 95, task not done
    ],
)
def test_progress_when_the_baseline_already_meets_the_target(
    real_plan: Plan, obs: dict, category: str
) -> None:
    """§6: 4.1 starts at 95 against a target of ≥90. No change is asked for, so a ratio of the
    change to it means nothing (it printed −0.28 beside 已达到目标): none is given, and the row
    says the baseline already met the target."""
    p = judge(real_plan, {2024: {"4.1": obs}}, 2024, "4.1").progress
    assert p is not None and p.baseline_met and p.ratio is None and p.category == category


def test_a_missing_value_stays_pending_even_without_a_previous_one(real_plan: Plan) -> None:
    """§1: 待填报 when the year itself has not reported; 无法判定 only when it has."""
    row = judge(real_plan, {2024: {}}, 2024, "8.1")
    assert row.status.status == "no_data" and row.status.missing[0] == "本年度数值"
