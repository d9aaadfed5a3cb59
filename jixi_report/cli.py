"""Command line: the only place that prints and chooses exit codes (0 ok, 1 content or build,
2 usage, 70 an internal error, 130 interrupted)."""

from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import resident
from .base.errors import BuildError, ContentError, UsageError
from .outputs import FORMATS, files_of, fingerprint, parse_formats, up_to_date

if TYPE_CHECKING:
    from .content.model import Plan


def summary(plan: Plan) -> str:
    from .base.vocab import money

    top = [i for i in plan.indicators if i.parent is None]
    binding = sum(1 for i in top if i.kind == "binding")
    reference = sum(1 for i in top if i.kind == "reference")
    lines = [
        f"{plan.meta.full_title}: content is valid",
        f"  chapters:   {len(plan.chapters)}",
        f"  indicators: {binding} binding + {reference} reference in {len(plan.rows)} rows",
        f"  projects:   {len(plan.projects)}, investment {money(plan.total_investment, 2)} 万元",
    ]
    width = max(len(c.name) for c in plan.categories) if plan.categories else 0
    for cat, count, total in plan.category_totals():
        pad = "　" * (width - len(cat.name))
        lines.append(f"    {cat.name}{pad}  {count:>3}  {money(total, 2):>16}")
    years = ", ".join(f"{y} ({m.data_status})" for y, m in sorted(plan.monitoring.items()))
    lines.append(f"  monitoring: {years or 'none'}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixi-report", description=__doc__)
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback on an internal error"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the content and print a summary")
    plan = sub.add_parser("plan", help="build the plan as HTML, PDF and Word")
    report = sub.add_parser("report", help="build the annual assessment report")
    assess = sub.add_parser("assess", help="print the assessment of a year")
    new_year = sub.add_parser("new-year", help="write an empty monitoring file for a year")
    build_all = sub.add_parser("build", help="build the plan and every year's report")
    build_all.add_argument(
        "--all", action="store_true", required=True, help="every document (the only form)"
    )
    template = sub.add_parser("xlsx-template", help="write an Excel workbook to fill in a year")
    imported = sub.add_parser("import", help="read filled workbooks into monitoring/YYYY.yaml")
    for command in (report, assess, template, imported):
        command.add_argument("--year", type=int, required=True)
    template.add_argument("--unit", help="only the projects this unit leads")
    template.add_argument("-o", "--output", type=Path, help="default build/monitoring-YYYY.xlsx")
    imported.add_argument("workbooks", type=Path, nargs="+", metavar="FILE.xlsx")
    imported.add_argument(
        "--force", action="store_true", help="replace an existing file (a .bak copy is kept)"
    )
    new_year.add_argument("year", type=int)
    assess.add_argument(
        "--json", action="store_true", required=True, help="as JSON (the only form)"
    )
    for command in (plan, report):
        command.add_argument(
            "--strict",
            action="store_true",
            help="a missing date or issuer (and a year without data) is an error",
        )
    preview = sub.add_parser(
        "preview", help="serve the plan or a report on localhost, rebuilt as files change"
    )
    preview.add_argument("document", nargs="?", choices=("plan", "report"), default="plan")
    preview.add_argument("--year", type=int, help="the report's year (with report)")
    preview.add_argument("--port", type=int, default=8000, help="0: any free port")
    preview.add_argument("--out", type=Path, default=Path("build"))
    for command in (check, plan, report, assess, new_year, template, imported, build_all, preview):
        command.add_argument("--content", type=Path, default=Path("content"))
    plan.add_argument(
        "--draft", metavar="STAGE", help="a revised draft at this stage, such as 征求意见稿"
    )
    plan.add_argument(
        "--base", type=Path, metavar="DIR", help="the content the draft revises (with --draft)"
    )
    plan.add_argument(
        "--show-changes", action="store_true", help="mark the changes in the PDF and HTML too"
    )
    for command in (plan, report, build_all):
        command.add_argument("--out", type=Path, default=Path("build"))
        command.add_argument(
            "--format", default=",".join(FORMATS), help="comma list of html,pdf,docx"
        )
        command.add_argument(
            "--no-cache",
            action="store_true",
            help="lay out every PDF part and draw every chart anew",
        )
    return parser


def _unchanged(args: argparse.Namespace, formats: tuple[str, ...]) -> bool:
    """A plan or report whose sources and files are as the last build left them: say so.
    Checked before the pipeline is imported: an unchanged rebuild costs a few hashes."""
    year = args.year if args.command == "report" else None
    if args.no_cache or getattr(args, "strict", False) or getattr(args, "draft", None):
        return False  # asked to build anew; --strict judges data; a draft is two documents
    if getattr(args, "base", None) or getattr(args, "show_changes", False):
        return False  # a usage error the build reports
    if not args.content.is_dir():
        return False  # the loader says what is wrong
    files = files_of(args.out, year, formats)
    made_from = fingerprint(args.content, year, formats)
    if not up_to_date(args.out, str(year or "plan"), made_from, files):
        return False
    for path in files:
        print(f"up to date: {path}")
    return True


def _run(args: argparse.Namespace, leave_server: bool = False) -> None:
    if args.command in ("plan", "report") and _unchanged(args, parse_formats(args.format)):
        return
    # WeasyPrint loaded once here and kept for the next build; an HTML page alone needs none
    if leave_server and {"pdf", "docx"} & set(parse_formats(args.format)):
        from .writers.pdf import warm

        warm()
        resident.start(main)
    from .build import build_draft, build_plan, build_report
    from .content.load import load

    if args.command in ("plan", "report"):
        formats = parse_formats(args.format)
        if args.command == "plan" and args.draft:
            result = build_draft(
                args.content,
                args.out,
                args.draft,
                args.base,
                formats,
                not args.no_cache,
                args.show_changes,
            )
        elif args.command == "plan":
            if args.base or args.show_changes:
                raise UsageError("--base and --show-changes go with --draft STAGE")
            result = build_plan(
                args.content, args.out, formats, not args.no_cache, strict=args.strict
            )
        else:
            result = build_report(
                args.content, args.out, args.year, formats, not args.no_cache, args.strict
            )
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for path in result.files:
            print(f"wrote {path}")
        if result.parts:
            reused = result.parts - result.laid_out
            print(f"PDF: {result.parts} parts, {result.laid_out} laid out, {reused} reused")
    elif args.command == "build":
        _build_all(args)
    elif args.command == "preview":
        _preview(args)
    elif args.command == "xlsx-template":
        from .base.files import atomic_bytes
        from .content.workbook_template import write_template

        target = args.output or Path("build") / f"monitoring-{args.year}.xlsx"
        atomic_bytes(target, write_template(load(args.content), args.year, args.unit))
        print(f"wrote {target}")
    elif args.command == "import":
        from .content.monitoring_file import write_monitoring
        from .content.workbook_import import read_workbooks

        plan = load(args.content)
        data = read_workbooks(plan, args.year, args.workbooks)
        print(f"wrote {write_monitoring(plan, args.year, data, args.force)}")
    elif args.command == "new-year":
        from .content.skeleton import write_skeleton

        print(f"wrote {write_skeleton(load(args.content), args.year)}")
    else:
        plan = load(args.content)
        if args.command == "check":
            from .writers.office_fonts import describe, folder_for

            print(summary(plan))
            print("\n".join(describe(folder_for(args.content))))
        else:
            from .assess.engine import assess
            from .assess.export import to_json

            print(json.dumps(to_json(assess(plan, args.year)), ensure_ascii=False, indent=2))


def _preview(args: argparse.Namespace) -> None:
    """Serve the page until Ctrl-C; every build's outcome as lines on the terminal."""
    from .preview import serve

    if (args.document == "report") != (args.year is not None):
        raise UsageError("preview report takes --year YYYY; preview plan takes none")

    def say(line: str) -> None:
        print(line, flush=True)

    def ready(url: str) -> None:
        say(f"preview on {url} (Ctrl-C ends it)")

    try:
        serve(args.content, args.out, args.year, args.port, say, ready)
    except KeyboardInterrupt:
        say("preview ended")
    except OSError as exc:  # the port is taken, most likely
        raise BuildError(f"preview: cannot serve on port {args.port}: {exc.strerror}") from None


def _build_all(args: argparse.Namespace) -> None:
    """Every document, with a line per document (and a bar on a terminal) and a summary."""
    from .batch import Outcome, build_all

    bar = sys.stderr.isatty()

    def progress(outcome: Outcome, done: int, total: int) -> None:
        if bar:
            print("\r\033[K", end="", file=sys.stderr)
        text = {
            "built": f"built {outcome.job} in {outcome.seconds:.1f} s",
            "skipped": f"skipped {outcome.job}: up to date",
            "failed": f"failed {outcome.job}:",
        }[outcome.state]
        print(text)
        for line in outcome.message.splitlines():
            print(f"  {line}")
        for warning in outcome.warnings:
            print(f"  warning: {warning}", file=sys.stderr)
        if bar and done < total:
            filled = 30 * done // total
            print(f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end="", file=sys.stderr)
            sys.stderr.flush()

    outcomes = build_all(
        args.content, args.out, parse_formats(args.format), not args.no_cache, progress
    )
    counts = {s: sum(o.state == s for o in outcomes) for s in ("built", "skipped", "failed")}
    print(f"{len(outcomes)} documents: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    if counts["failed"]:
        raise BuildError(f"{counts['failed']} of {len(outcomes)} documents failed (see above)")


def main(argv: list[str] | None = None) -> int:
    """The command line (`argv` None: the process's own, which a resident server may run,
    resident.py); a list: run here, as tests and the server itself do."""
    args = _parser().parse_args(argv)
    served = argv is None and args.command in resident.SERVED and resident.enabled()
    if served:
        code = resident.hand_over(sys.argv[1:])
        if code is not None:
            return code
    if argv is None and args.command in resident.SERVED:  # the process ends with the build
        from .build import ends_with_its_command

        ends_with_its_command(args.command)
    try:
        _run(args, leave_server=served)
        return 0
    except ContentError as exc:
        label = f"{exc.label}: " if exc.label else ""  # the base of a revised draft
        for problem in exc.problems:
            print(f"{label}{problem}", file=sys.stderr)
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
    except KeyboardInterrupt:
        print("jixi-report: interrupted; the previous outputs are as they were", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault of ours: one line, the traceback only when asked
        if args.debug:
            raise
        print(
            f"jixi-report: internal error: {type(exc).__name__}: {exc}; nothing was written "
            "(run again with --debug for the details)",
            file=sys.stderr,
        )
        return 70


def run() -> None:
    """The `jixi-report` command: `main`, then out of the process at once. Python would take
    a tenth of a second more taking apart, object by object, all that a build loaded (3 % of
    a cold report, measured); by then every file is written and closed. The exit handlers
    still run (they remove matplotlib's temporary settings folder)."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    run()
