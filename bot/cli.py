"""The `safetyloop` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

from dotenv import dotenv_values
from pydantic import ValidationError

from bot.settings import Settings, describe


def load_settings(overrides: dict[str, str] | None = None) -> Settings:
    """`.env` first, the process environment over it, then command-line flags over both."""
    environ = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    environ.update(os.environ)
    environ.update(overrides or {})
    try:
        return Settings.from_env(environ)
    except ValidationError as exc:  # a bad value in .env: say which at start, no traceback
        raise SystemExit(describe(exc)) from None


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    values = {}
    if getattr(args, "config", None):
        values["SAFETYLOOP_PLANT_FILE"] = args.config
    if getattr(args, "database", None):
        values["SAFETYLOOP_DATABASE_URL"] = args.database
    return values


def cmd_shell(args: argparse.Namespace) -> int:
    from bot.app import build_app
    from bot.channels.terminal import TerminalChannel
    from bot.shell import Shell, ShellError, run_interactive, run_script, shell_channels
    from scheduler.clock import RunningSimClock

    settings = load_settings(_overrides(args))
    terminal = TerminalChannel(lambda line: print(line, flush=True),
                               files=settings.data_dir / "files")
    clock = RunningSimClock() if args.clock == "sim" else None
    app = build_app(settings, channels=shell_channels(settings, terminal), clock=clock)
    try:
        shell = Shell(app, terminal, args.person, clock)
    except ShellError as exc:
        print(exc, file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        return asyncio.run(run_interactive(shell))
    return asyncio.run(run_script(shell, sys.stdin))


def cmd_run(args: argparse.Namespace) -> int:
    from bot.process import serve

    return asyncio.run(serve(load_settings(_overrides(args))))


def cmd_config_check(args: argparse.Namespace) -> int:
    from bot.plantfile import check_plant, plant_warnings

    errors = check_plant(Path(args.file))
    for line in errors:
        print(line, file=sys.stderr)
    if errors:
        return 1
    warnings = plant_warnings(Path(args.file))  # the file is usable: warnings do not fail it
    for line in warnings:
        print(line, file=sys.stderr)
    noted = f" ({len(warnings)} warning{'s' * (len(warnings) != 1)})" if warnings else ""
    print(f"{args.file}: OK{noted}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from storage.database import make_engine, upgrade

    settings = load_settings(_overrides(args))
    upgrade(make_engine(settings.database_url))
    print("database is up to date")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from core.audit import first_bad_entry
    from storage.database import make_engine
    from storage.uow import SqlUnitOfWork

    settings = load_settings(_overrides(args))
    with SqlUnitOfWork(make_engine(settings.database_url)) as uow:
        entries = list(uow.audit.entries())
        bad = first_bad_entry(entries)
    if bad is not None:
        print(f"audit log broken at entry {bad.seq} ({bad.action} {bad.subject} at "
              f"{bad.at.isoformat()})", file=sys.stderr)
        return 1
    print(f"audit log intact: {len(entries)} entries")
    return 0


def cmd_tickets_export(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from functools import partial

    from bot import exports
    from bot.plantfile import read_plant
    from handlers.i18n import t
    from reports.ledger_xlsx import ledger_workbook
    from reports.ticket_export import export_csv, export_json

    settings = load_settings(_overrides(args))
    plant = read_plant(settings.plant_file)
    tickets, joined_by, trail = exports.read(settings, lambda uow: (
        list(uow.tickets.all()), uow.duplicates.followers_by_ticket(),
        list(uow.audit.entries()) if args.format == "xlsx" else [],
    ))
    summary = f"{len(tickets)} tickets"
    if args.format == "xlsx":
        now = datetime.now(UTC)
        book = ledger_workbook(plant, tickets, trail, exported_at=now,
                               say=partial(t, plant.language), joined_by=joined_by)
        exports.save_workbook(book, args.out, plant=plant, stem="tickets", now=now,
                              summary=summary)
    elif args.format == "csv":
        exports.deliver(export_csv(plant, tickets, joined_by), args.out, summary=summary)
    else:
        data = json.dumps(export_json(plant, tickets, joined_by), ensure_ascii=False, indent=2)
        exports.deliver(data + "\n", args.out, summary=summary)
    return 0


def cmd_major_export(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from functools import partial

    from bot import exports
    from bot.plantfile import read_plant
    from handlers.i18n import t
    from reports.major_register import register_json, register_workbook

    settings = load_settings(_overrides(args))
    plant = read_plant(settings.plant_file)
    graded = exports.read(settings, lambda uow: uow.majors.graded())
    summary = f"{len(graded)} major hazards"
    if args.format == "xlsx":
        now = datetime.now(UTC)
        book = register_workbook(plant, graded, exported_at=now, say=partial(t, plant.language))
        exports.save_workbook(book, args.output, plant=plant, stem="major-hazards", now=now,
                              summary=summary)
    else:
        data = json.dumps(register_json(plant, graded), ensure_ascii=False, indent=2)
        exports.deliver(data + "\n", args.output, summary=summary)
    return 0


def cmd_rounds(args: argparse.Namespace) -> int:
    from bot.round_report import week_report

    try:
        out = week_report(load_settings(_overrides(args)), args.week, args.format)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
    else:
        sys.stdout.write(out)
    return 0


def cmd_shop_orders(args: argparse.Namespace) -> int:
    from bot.shop_cli import shop_orders

    return shop_orders(load_settings(_overrides(args)), status=args.status, fmt=args.format,
                       output=args.output)


def cmd_points_adjust(args: argparse.Namespace) -> int:
    from bot.shop_cli import points_adjust

    return points_adjust(load_settings(_overrides(args)), person=args.person, delta=args.delta,
                         reason=args.reason, by=args.by)


def cmd_audit_show(args: argparse.Namespace) -> int:
    from functools import partial
    from zoneinfo import ZoneInfo

    from bot.plantfile import read_plant
    from handlers.i18n import t
    from reports.audit_trail import parse_since, text_line, trail_line
    from storage.database import make_engine
    from storage.uow import SqlUnitOfWork

    settings = load_settings(_overrides(args))
    plant = read_plant(settings.plant_file)
    try:
        since = parse_since(args.since, ZoneInfo(plant.timezone)) if args.since else None
    except ValueError:
        print(f"--since {args.since!r}: give a date (YYYY-MM-DD, from local midnight) or an "
              "ISO 8601 time (2026-11-30T09:00+08:00)", file=sys.stderr)
        return 2
    subject = args.ticket.strip().upper() if args.ticket else None
    engine = make_engine(settings.database_url)
    try:
        with SqlUnitOfWork(engine) as uow:
            entries = list(uow.audit.find(subject=subject, since=since))
    finally:
        engine.dispose()
    say = partial(t, plant.language)
    for entry in entries:
        print(text_line(trail_line(plant, entry, say)))
    if not entries:
        print("no audit entries match", file=sys.stderr)
    return 0


def cmd_wecom_setup(args: argparse.Namespace) -> int:
    from bot.channels.wecom import configured, make_api
    from bot.plantfile import read_plant
    from bot.wecom_setup import setup

    settings = load_settings(_overrides(args))
    if not configured(settings):
        print("set WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN and WECOM_AES_KEY "
              "in .env first", file=sys.stderr)
        return 2
    plant = read_plant(settings.plant_file)

    async def run() -> tuple[list[str], bool]:
        async with make_api(settings) as api:
            return await setup(api, plant)

    lines, ok = asyncio.run(run())
    for line in lines:
        print(line)
    return 0 if ok else 1


def cmd_people_import(args: argparse.Namespace) -> int:
    from bot.roster import ask_on_terminal, import_file

    settings = load_settings(_overrides(args))
    ask = ask_on_terminal if sys.stdin.isatty() else None
    return import_file(Path(args.file), settings.plant_file, yes=args.yes, ask=ask)


def cmd_import(args: argparse.Namespace) -> int:
    from bot.import_cli import run_import

    return run_import(args, load_settings(_overrides(args)))


def cmd_kpi(args: argparse.Namespace) -> int:
    from bot.kpi_cli import kpi_report

    return kpi_report(load_settings(_overrides(args)), month=args.month,
                      department=args.department, as_of=args.as_of, fmt=args.format,
                      out=sys.stdout, err=sys.stderr)


def cmd_report_monthly(args: argparse.Namespace) -> int:
    from bot.monthly_cli import monthly_report

    return monthly_report(load_settings(_overrides(args)), month=args.month,
                          out_dir=Path(args.out), lang=args.lang, out=sys.stdout,
                          err=sys.stderr)


def cmd_warnings(args: argparse.Namespace) -> int:
    from bot.trends_cli import warnings_report

    return warnings_report(load_settings(_overrides(args)), as_of=args.as_of, fmt=args.format,
                           out=sys.stdout, err=sys.stderr)


def cmd_wecom_sync_roster(args: argparse.Namespace) -> int:
    from bot.roster import ask_on_terminal
    from bot.roster_sync import sync_roster

    ask = ask_on_terminal if sys.stdin.isatty() else None
    return sync_roster(load_settings(_overrides(args)), yes=args.yes, ask=ask)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="safetyloop", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)

    def with_common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--config", help="plant.yaml to use (default: the demo plant)")
        p.add_argument("--database", help="database URL (default: SQLite under ./data)")
        return p

    shell = with_common(sub.add_parser("shell", help="chat as a person from the terminal"))
    shell.add_argument("--as", dest="person", required=True, help="person id, e.g. W01")
    shell.add_argument("--clock", choices=("real", "sim"), default="real")
    shell.set_defaults(func=cmd_shell)

    with_common(sub.add_parser("run", help="serve every configured channel")).set_defaults(
        func=cmd_run)

    config = sub.add_parser("config", help="plant.yaml tools").add_subparsers(
        dest="action", required=True)
    check = config.add_parser("check", help="validate a plant.yaml")
    check.add_argument("file")
    check.set_defaults(func=cmd_config_check)

    db = sub.add_parser("db", help="database tools").add_subparsers(dest="action", required=True)
    with_common(db.add_parser("upgrade", help="apply migrations")).set_defaults(
        func=cmd_db_upgrade)

    audit = sub.add_parser("audit", help="audit log tools").add_subparsers(
        dest="action", required=True)
    with_common(audit.add_parser("verify", help="check the hash chain")).set_defaults(
        func=cmd_audit_verify)
    show = with_common(audit.add_parser("show", help="print the audit trail readably"))
    show.add_argument("--ticket", metavar="CODE", help="only this ticket's entries")
    show.add_argument("--since", metavar="DATE",
                      help="from YYYY-MM-DD (plant-local midnight) or an ISO 8601 time on")
    show.set_defaults(func=cmd_audit_show)

    tickets = sub.add_parser("tickets", help="ticket tools").add_subparsers(
        dest="action", required=True)
    export = with_common(tickets.add_parser(
        "export", help="every ticket as JSON or CSV, or a printable XLSX ledger with its trail"))
    export.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    export.add_argument("--out", metavar="FILE", help="write to FILE instead of standard "
                        "output (xlsx: default tickets-YYYYMMDD.xlsx here)")
    export.set_defaults(func=cmd_tickets_export)

    major = sub.add_parser("major", help="major hazard tools (重大事故隐患)").add_subparsers(
        dest="action", required=True)
    register = with_common(major.add_parser(
        "export", help="the register of major hazards with their remediation plans"))
    register.add_argument("--format", choices=("json", "xlsx"), default="json")
    register.add_argument("--output", "--out", dest="output", metavar="FILE",
                          help="write to FILE instead of standard output (xlsx: default "
                          "major-hazards-YYYYMMDD.xlsx here)")
    register.set_defaults(func=cmd_major_export)

    shop = sub.add_parser("shop", help="points shop tools (积分商城)").add_subparsers(
        dest="action", required=True)
    orders = with_common(shop.add_parser(
        "orders", help="the shop's orders, for the hand-out list (JSON or printable XLSX)"))
    orders.add_argument("--status", choices=("pending", "approved", "rejected", "all"),
                        default="all")
    orders.add_argument("--format", choices=("json", "xlsx"), default="json")
    orders.add_argument("--output", "--out", dest="output", metavar="FILE",
                        help="write to FILE instead of standard output (xlsx: default "
                        "shop-orders-YYYYMMDD.xlsx here)")
    orders.set_defaults(func=cmd_shop_orders)

    points = sub.add_parser("points", help="points ledger tools (积分)").add_subparsers(
        dest="action", required=True)
    adjust = with_common(points.add_parser(
        "adjust", help="add (or, negative, take) points with a reason; audited"))
    adjust.add_argument("person", help="person id, e.g. W01")
    adjust.add_argument("delta", type=int, help="points to add, e.g. 5 or -5")
    adjust.add_argument("--reason", required=True, help="why, as the person will read it")
    adjust.add_argument("--by", required=True, metavar="ADMIN",
                        help="the person id of the admin making the adjustment")
    adjust.set_defaults(func=cmd_points_adjust)

    rounds = with_common(sub.add_parser(
        "rounds", help="a week's inspection rounds: coverage per area and each round (巡检)"))
    rounds.add_argument("--week", metavar="YYYY-Www",
                        help="ISO week in plant time, e.g. 2026-W49 (default: this week)")
    rounds.add_argument("--format", choices=("json", "text"), default="json")
    rounds.add_argument("--output", "--out", dest="output", metavar="FILE",
                        help="write to FILE instead of standard output")
    rounds.set_defaults(func=cmd_rounds)

    wecom = sub.add_parser("wecom", help="WeCom app tools").add_subparsers(
        dest="action", required=True)
    with_common(wecom.add_parser(
        "setup", help="create the teams' group chats from plant.yaml and set the app menu",
    )).set_defaults(func=cmd_wecom_setup)
    sync = wecom.add_parser("sync-roster", help="merge WeCom's members into plant.yaml's people")
    sync.add_argument("--config", help="plant.yaml to merge into (default: the demo plant)")
    sync.add_argument("--yes", action="store_true", help="write without asking")
    sync.set_defaults(func=cmd_wecom_sync_roster)

    people = sub.add_parser("people", help="roster tools").add_subparsers(
        dest="action", required=True)
    roster = people.add_parser("import", help="merge an XLSX/CSV roster into plant.yaml")
    roster.add_argument("file", help="XLSX or CSV with a header row (id/工号, name/姓名, ...)")
    roster.add_argument("--config", help="plant.yaml to merge into (default: the demo plant)")
    roster.add_argument("--yes", action="store_true", help="write without asking")
    roster.set_defaults(func=cmd_people_import)

    kpi = with_common(sub.add_parser("kpi", help="the month's KPIs (issue 12's definitions)"))
    kpi.add_argument("month", help="YYYY-MM, a calendar month in the plant's time zone")
    kpi.add_argument("--department", help="only the tickets of the areas it owns")
    kpi.add_argument("--as-of", help="ISO 8601 time the figures stand at (default: now)")
    kpi.add_argument("--format", choices=("json", "table"), default="table")
    kpi.set_defaults(func=cmd_kpi)

    reports = sub.add_parser("report", help="reports as files").add_subparsers(
        dest="action", required=True)
    monthly = with_common(reports.add_parser(
        "monthly", help="the monthly 隐患治理分析报告 (PDF) and the month's ledger (XLSX)"))
    monthly.add_argument("month", help="YYYY-MM, a calendar month in the plant's time zone")
    monthly.add_argument("--out", required=True, help="folder to write both files into")
    monthly.add_argument("--lang", help="zh-CN or en (default: plant.yaml's language)")
    monthly.set_defaults(func=cmd_report_monthly)

    warned = with_common(sub.add_parser("warnings", help="trend warnings (趋势预警)"))
    warned.add_argument("--as-of", help="ISO 8601 time the window ends at (default: now)")
    warned.add_argument("--format", choices=("json", "table"), default="table")
    warned.set_defaults(func=cmd_warnings)

    history = sub.add_parser("import", help="load a plant's history from XLSX or CSV files")
    kinds = history.add_subparsers(dest="kind", required=True)
    for kind, what in (("tickets", "a hazard ledger (台账), one ticket per row"),
                       ("runlog", "equipment run periods: equipment, start, end"),
                       ("hours", "hours worked: department, month, hours")):
        loader = with_common(kinds.add_parser(kind, help=what))
        loader.add_argument("file", help="XLSX or CSV with a header row (English or Chinese)")
        loader.add_argument("--skip-invalid", action="store_true",
                            help="import the good rows even when some are rejected")
        loader.add_argument("--dry-run", action="store_true",
                            help="check and count everything, write nothing")
        loader.add_argument("--lang", help="language of the messages (default: plant.yaml's)")
        loader.set_defaults(func=cmd_import)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
