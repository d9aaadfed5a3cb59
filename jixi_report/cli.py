"""Command line: the only place that prints and chooses exit codes (0 ok, 1 content, 2 usage)."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from .build import FORMATS
from .errors import BuildError, ContentError, UsageError
from .model import Plan


def money(value: Decimal) -> str:
    """1004117.06 → '1,004,117.06' (万元 keep the cents the plan printed)."""
    return f"{value:,.2f}"


def summary(plan: Plan) -> str:
    top = [i for i in plan.indicators if i.parent is None]
    binding = sum(1 for i in top if i.kind == "binding")
    reference = sum(1 for i in top if i.kind == "reference")
    lines = [
        f"{plan.meta.title}（{plan.meta.period.start}—{plan.meta.period.end}年）: content is valid",
        f"  chapters:   {len(plan.chapters)}",
        f"  indicators: {binding} binding + {reference} reference in {len(plan.rows)} rows",
        f"  projects:   {len(plan.projects)}, investment {money(plan.total_investment)} 万元",
    ]
    width = max(len(c.name) for c in plan.categories) if plan.categories else 0
    for cat, count, total in plan.category_totals():
        pad = "　" * (width - len(cat.name))
        lines.append(f"    {cat.name}{pad}  {count:>3}  {money(total):>16}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixi-report", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the content and print a summary")
    plan = sub.add_parser("plan", help="build the plan as HTML, PDF and Word")
    report = sub.add_parser("report", help="build the annual assessment report")
    report.add_argument("--year", type=int, required=True)
    for command in (check, plan, report):
        command.add_argument("--content", type=Path, default=Path("content"))
    for command in (plan, report):
        command.add_argument("--out", type=Path, default=Path("build"))
        command.add_argument(
            "--format", default=",".join(FORMATS), help="comma list of html,pdf,docx"
        )
        command.add_argument("--no-cache", action="store_true", help="lay out every PDF part anew")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        from .load import load

        if args.command == "plan":
            from .build import build_plan, parse_formats

            result = build_plan(
                args.content, args.out, parse_formats(args.format), not args.no_cache
            )
            for path in result.files:
                print(f"wrote {path}")
            if result.parts:
                reused = result.parts - result.laid_out
                print(f"PDF: {result.parts} parts, {result.laid_out} laid out, {reused} reused")
            return 0
        plan = load(args.content)
        if args.command == "check":
            print(summary(plan))
        elif args.command == "report":
            period = plan.meta.period
            if not period.start <= args.year <= period.end:
                raise UsageError(
                    f"--year {args.year} is outside the plan period {period.start}–{period.end}"
                )
            print(summary(plan))
            print(f"content valid for {args.year}; the report itself is not built yet (issue #4).")
        return 0
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        n = len(exc.problems)
        print(
            f"{n} problem{'s' if n != 1 else ''} in the content; nothing was written.",
            file=sys.stderr,
        )
        return 1
    except UsageError as exc:
        print(f"jixi-report: {exc}", file=sys.stderr)
        return 2
    except BuildError as exc:
        print(f"jixi-report: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
