"""What each year adds to a plan: a monitoring file (monitoring/YYYY.yaml) and revision.yaml."""

from __future__ import annotations

from typing import Literal

from ..base.vocab import PROJECT_STATUSES
from .fields import Date, DocDate, Model, Num, Text, Value, Year

# ---- monitoring/YYYY.yaml -------------------------------------------------------------------


class Observation(Model):
    """One indicator in one year: a number or a state, and the flags some rules need."""

    value: Value | None = None
    superior_task_met: bool | None = None
    start_rate: Num | None = None
    closure_rate: Num | None = None
    note: Text | None = None
    source: Text | None = None  # 数据来源: the unit or statistic the figure comes from
    evidence: Text | None = None  # 证明材料: a document, report or 文号


class ProjectProgress(Model):
    status: Literal[PROJECT_STATUSES] | None = None  # None: not yet reported
    invested: Num | None = None  # 万元 invested up to the end of the year
    note: Text | None = None


class Monitoring(Model):
    year: Year
    data_status: Literal["example", "provisional", "official"]
    source: Text | None = None
    date: DocDate | None = None  # the report's date: cover and 落款
    issuer: Text | None = None  # the report's 落款 when not the plan's compiler
    indicators: dict[Text, Observation] = {}
    projects: dict[int, ProjectProgress] = {}
    tasks: dict[Text, Text | None] = {}  # area number in the task chapter (一、) → progress text
    safeguards: dict[Text, Text | None] = {}  # measure number in the 保障 chapter → what was done
    funding: dict[Text, Num] = {}  # source of funds → 万元, summing to the projects' invested
    # The office's own 存在问题 / 下一步工作: they follow the items drafted from the data, or
    # replace them (`own_text: replaces`).
    problems: list[Text] = []
    next_steps: list[Text] = []
    own_text: Literal["follows", "replaces"] = "follows"


# ---- revision.yaml (optional) ------------------------------------------------------------------


class Comment(Model):
    """One comment received on a draft (征求意见) and what was made of it."""

    unit: Text  # 单位
    comment: Text  # 意见
    decision: Literal["采纳", "部分采纳", "不采纳"]
    reason: Text | None = None  # 理由 (why not, or how)


class Revision(Model):
    """The current revision of the plan (规划修编): its date and author, notes on changes."""

    date: Date | None = None  # the draft's date: cover, header
    author: Text | None = None  # who revised it: Word's tracked changes name them
    notes: dict[Text, Text] = {}  # 说明 of a 修订对照表 row, keyed by the row's 位置 as printed
    comments: list[Comment] = []
