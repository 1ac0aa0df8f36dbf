"""The ``streakbot`` command line (the entry point: the only place real objects are built).

Exit status: 0 on success, 2 on bad input or configuration (one line on stderr, never a
traceback), 1 when a data source, the database, Slack or the machine failed (the store is
left untouched). ``-v`` adds the full traceback (see :mod:`bot.failures`).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.domain.errors import ConfigError, DataSourceError, SchemaError, UserError
from bot.domain.symbols import (
    SUMMARY_ANCHOR,
    UnknownSymbolError,
    fetch_symbol,
    new_tickers,
    resolve,
)
from bot.domain.time import NY_TZ, parse_iso_date
from bot.oneshot import ready_market
from bot.render.forward import forward_json, forward_text
from bot.render.json import records_json, streak_json
from bot.render.new_symbols import fetching_line, not_added_line, offline_line
from bot.render.record_forward import record_forward_json, record_forward_text
from bot.render.records import records_text
from bot.render.text import streak_text
from bot.services.answers import records_answer, streak_answer
from bot.services.forward import forward_answer
from bot.services.record_forward import record_forward_answer

if TYPE_CHECKING:  # the rest is imported by the commands that need it
    from bot.bootstrap import Services
    from bot.services.market import Market
    from bot.store.close_reads import SqliteStoreReader

log = logging.getLogger("streakbot")

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
MAX_NOTE = 20_000  # characters of a note to check: a long article, not a file dump


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would print usage + exit itself
        raise UserError(message)


def _date_arg(text: str) -> date:
    try:
        return parse_iso_date(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _year_arg(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year: use four digits, e.g. 2024.")
    return int(text)


def _workers_arg(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of workers: use 1 to 64.")
    return int(text)


def _port_arg(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port: use a whole number from 1 to 65535.")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="streakbot",
        description="Who is leading the US stock market: relative streaks, up/down streaks "
        "and record closes, from the bundled data or the price store.",
    )
    p.add_argument("--data-dir", type=Path, help="folder of per-symbol CSVs (GSPC.csv for ^GSPC); "
                   "the only price data used; nothing is fetched or written (env STREAKBOT_DATA_DIR)")
    p.add_argument("--offline", action="store_true", help="never use the network (env STREAKBOT_OFFLINE)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser("streak", help="current streak of A vs B (or of A's up/down days)")
    s.add_argument("symbols", nargs="+", metavar="SYMBOL", help="one or two symbols or aliases (RUT SPX)")
    s.add_argument("--as-of", type=_date_arg, metavar="DATE", help="answer as of this date (YYYY-MM-DD)")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    nx = sub.add_parser("next", help="what happened next after earlier streaks as long as A vs B's (or A's)")
    nx.add_argument("symbols", nargs="+", metavar="SYMBOL", help="one or two symbols or aliases (RUT SPX, or SPX)")
    nx.add_argument("--as-of", type=_date_arg, metavar="DATE", help="answer as of this date (YYYY-MM-DD)")
    nx.add_argument("--records", action="store_true",
                    help="one symbol: what followed its earlier first records in 250 or more sessions")
    nx.add_argument("--json", action="store_true", help="machine-readable output")

    r = sub.add_parser("records", help="record closes of one symbol")
    r.add_argument("symbol", metavar="SYMBOL")
    r.add_argument("--year", type=_year_arg, help="count records in this year (default: the as-of year)")
    r.add_argument("--as-of", type=_date_arg, metavar="DATE")
    r.add_argument("--json", action="store_true")

    c = sub.add_parser("check", help="check the figures of a market note against the data")
    c.add_argument("text", nargs="*", metavar="TEXT",
                   help='the note (quotes optional); "-" or nothing reads it from standard input')
    c.add_argument("--as-of", type=_date_arg, metavar="DATE",
                   help="the day the note was written: dates \"today\", \"on Thursday\" (default: the "
                   "S&P 500's last session in the data)")
    c.add_argument("--json", action="store_true", help="machine-readable output")

    q = sub.add_parser("ask", help="answer a question in plain words, as the Slack bot does")
    q.add_argument("question", nargs="+", metavar="QUESTION",
                   help='e.g. "how many records did the S&P set in 2024?" (quotes optional)')

    u = sub.add_parser("update", help="fetch missing daily closes from Yahoo Finance into the store")
    u.add_argument("symbols", nargs="*", metavar="SYMBOL", help="default: every stored symbol")

    lead = sub.add_parser("leaders", help="print the market-leadership summary for a session")
    lead.add_argument("--session", type=_date_arg, metavar="DATE")

    sv = sub.add_parser("serve", help="run the Slack app (HTTP under gunicorn, or Socket Mode)")
    sv.add_argument("--socket-mode", action="store_true", help="connect out over Socket Mode (development)")
    sv.add_argument("--port", type=_port_arg, help="HTTP port (default $PORT or 3000)")
    sv.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    sv.add_argument("--threads", type=int, default=None,
                    help="request threads per gunicorn worker (default 2: they only acknowledge)")

    pd_ = sub.add_parser("post-daily", help="post the daily summary to every subscribed channel, once")
    pd_.add_argument("--session", type=_date_arg, metavar="DATE", help="default: the latest completed NYSE session")
    pd_.add_argument("--workers", type=_workers_arg, default=1, metavar="N",
                     help="deliver with N processes on this machine, sharing the ledger (default 1)")
    pd_.add_argument("--shard", metavar="K/N", help="be shard K of N processes (for several machines)")

    al = sub.add_parser("alerts", help="send each channel with alerts on the session's notable events, once")
    al.add_argument("--session", type=_date_arg, metavar="DATE", help="default: the latest completed NYSE session")

    sub.add_parser("clock", help="run the scheduler that makes the daily posts (one per deployment)")

    db = sub.add_parser("db", help="the store's schema: migrate it, or show its revision (env DATABASE_URL)")
    db_sub = db.add_subparsers(dest="db_action", metavar="ACTION", parser_class=_Parser, required=True)
    db_sub.add_parser("upgrade", help="migrate the store to the latest revision and print it")
    db_sub.add_parser("current", help="print the store's revision")
    return p


def _print_json(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, indent=2, sort_keys=False))


def print_streak(market: Market, now: datetime, args: argparse.Namespace) -> int:
    syms: list[str] = args.symbols
    if len(syms) > 2:
        raise UserError(f"streak takes one or two symbols, got {len(syms)}: {' '.join(syms)}")
    ans = streak_answer(
        market, syms[0], syms[1] if len(syms) == 2 else None, as_of=args.as_of, now=now
    )
    if args.json:
        _print_json(streak_json(ans))
    else:
        print(streak_text(ans))
    return EXIT_OK


def print_records(market: Market, now: datetime, args: argparse.Namespace) -> int:
    ans = records_answer(market, args.symbol, year=args.year, as_of=args.as_of, now=now)
    if args.json:
        _print_json(records_json(ans))
    else:
        print(records_text(ans))
    return EXIT_OK


def read_note(words: Sequence[str]) -> str:
    """The note to check: the words given, or standard input for none or ``-``."""
    if not words or list(words) == ["-"]:
        if sys.stdin.isatty():
            raise UserError('check needs a note: streakbot check "TEXT", or pipe it in: ... | streakbot check -')
        return sys.stdin.read()
    return " ".join(words)


def print_check(market: Market, now: datetime, args: argparse.Namespace) -> int:
    """``check TEXT``: each claim of the note confirmed (✓), corrected (✗) or not checkable (?)."""
    # The claim patterns take 0.1-0.2 s to import and compile: only for this command.
    from bot.claims.check import check_text  # noqa: PLC0415
    from bot.render.claims import check_json, render_check_text  # noqa: PLC0415

    text = read_note(args.text)
    if len(text) > MAX_NOTE:
        raise UserError(f"that note is {len(text):,} characters long; I check at most {MAX_NOTE:,}.")
    result = check_text(market, text, args.as_of)
    if args.json:
        _print_json(check_json(result))
    else:
        print(render_check_text(result))
    return EXIT_OK


def cmd_check(svc: Services, args: argparse.Namespace) -> int:
    return print_check(svc.market, svc.clock(), args)


def add_new_symbols(svc: Services, texts: Sequence[str]) -> None:
    """Fetch the history of tickers the store lacks from Yahoo first (logged with ``-v``).

    Offline, or reading a data folder, a new ticker gets one line saying how to add it.
    """
    tickers = new_tickers(texts, svc.market.available())
    if not tickers:
        return
    if svc.read_only_prices or not svc.new_symbols.online:
        try:
            resolve(tickers[0], svc.market.available())
        except UnknownSymbolError as exc:
            raise UserError(offline_line(exc).replace("`", "")) from None
    log.info(fetching_line(tickers, "Yahoo Finance").replace(" the answer follows here in a moment.", ""))
    from bot.services.new_symbols import add_all  # noqa: PLC0415 (pandas, through the updater)

    failed = add_all(svc.new_symbols, tickers)
    if failed is not None:
        raise UserError(not_added_line(failed, "Yahoo Finance").replace("`", ""))


def cmd_next(svc: Services, args: argparse.Namespace) -> int:
    """``next A B``: the earlier streaks that reached the current length, and what followed."""
    syms: list[str] = args.symbols
    if args.records:
        return print_record_next(svc, args)
    if len(syms) > 2:
        raise UserError(f"next takes one or two symbols, got {len(syms)}: {' '.join(syms)}")
    b = syms[1] if len(syms) == 2 else None
    ans = forward_answer(svc.market, syms[0], b, as_of=args.as_of, now=svc.clock())
    if args.json:
        _print_json(forward_json(ans))
    else:
        print(forward_text(ans))
    return EXIT_OK


def print_record_next(svc: Services, args: argparse.Namespace) -> int:
    """``next SYMBOL --records``: the earlier first records in a long time, and what followed."""
    syms: list[str] = args.symbols
    if len(syms) != 1:
        raise UserError(f"next --records takes one symbol, got {len(syms)}: {' '.join(syms)}")
    ans = record_forward_answer(svc.market, syms[0], as_of=args.as_of, now=svc.clock())
    if args.json:
        _print_json(record_forward_json(ans))
    else:
        print(record_forward_text(ans))
    return EXIT_OK


def cmd_streak(svc: Services, args: argparse.Namespace) -> int:
    add_new_symbols(svc, args.symbols)
    return print_streak(svc.market, svc.clock(), args)


def cmd_records(svc: Services, args: argparse.Namespace) -> int:
    add_new_symbols(svc, [args.symbol])
    return print_records(svc.market, svc.clock(), args)


def cmd_ask(svc: Services, args: argparse.Namespace) -> int:
    """``ask QUESTION``: the reply a Slack mention of the same words gets, as plain text.

    A question it cannot read gets the help reply (exit 0); one it reads but cannot answer
    (a year before the data, an adjusted ETF's records) is a user error (one line, exit 2).
    """
    # pandas, through the question answers' streak tables: never on the light path
    from bot.questions.answer import HelpReply, answer_text  # noqa: PLC0415 (pandas)
    from bot.render.questions import question_text  # noqa: PLC0415 (pandas, as above)

    now = svc.clock()
    ans = answer_text(" ".join(args.question), svc.market, now, now.astimezone(NY_TZ).date())
    if isinstance(ans, HelpReply) and ans.reason == "user_error":
        raise UserError(ans.problem or "That question cannot be answered.")
    print(question_text(ans))
    return EXIT_OK


# streak and records on a ready SQLite store: no pandas, SQLAlchemy or pydantic import
# (see bot.oneshot); the same answer code as the full path.
LIGHT_COMMANDS: dict[str, Callable[[Market, datetime, argparse.Namespace], int]] = {
    "streak": print_streak,
    "records": print_records,
    "check": print_check,
}


def run_light(args: argparse.Namespace) -> int | None:
    """The command's exit status when it ran on the light start, else ``None``."""
    light = LIGHT_COMMANDS.get(args.command)
    if (light is None and args.command != "leaders") or args.data_dir is not None or args.offline or args.verbose:
        return None
    ready = ready_market()
    if ready is None:
        return None
    market, reader = ready
    try:
        if light is None:  # leaders: the kept text, or computed on the light market
            return print_leaders_light(market, reader, datetime.now(UTC), args.session)
        named = getattr(args, "symbols", None) or [getattr(args, "symbol", "")]
        if new_tickers([t for t in named if t], market.available()):
            return None  # a ticker to fetch first: the full start does that
        return light(market, datetime.now(UTC), args)
    finally:
        reader.close()


def print_leaders_light(market: Market, reader: SqliteStoreReader, now: datetime, session: date | None) -> int:
    """``leaders`` on the light start: the summary kept for the same data, session and
    code, or else computed here (pandas, but no SQLAlchemy or pydantic) and kept; the
    note on stale data is worded on each run (it depends on the clock)."""
    from bot.adapters.summary_cache import (  # noqa: PLC0415 (leaders only)
        code_fingerprint,
        read_summary,
        summary_key,
        write_summary,
    )
    from bot.render.stale import stale_note, with_note  # noqa: PLC0415 (leaders only)

    key = summary_key(reader.data_version(), session, code_fingerprint())
    body = read_summary(key)
    note: str | None = None
    if body is None:
        from bot.adapters.calendar import NyseCalendar  # noqa: PLC0415 (loaded by bot.oneshot)
        from bot.daily.leaders import leaders_parts  # noqa: PLC0415 (pandas: only to compute it)

        calendar = market.calendar
        assert isinstance(calendar, NyseCalendar)  # bot.oneshot.ready_market's
        note, body = leaders_parts(market, calendar, session, now)
        write_summary(key, body)
    elif session is None:  # as bot.daily.leaders.prepare words it
        last, expected = market.last_date(SUMMARY_ANCHOR), market.calendar.last_completed_session(now)
        note = stale_note(last, expected, latest=True) if last < expected else None
    print(with_note(note, body))
    return EXIT_OK


def cmd_update(svc: Services, args: argparse.Namespace) -> int:
    from bot.services.refresh import update_prices  # noqa: PLC0415 (pandas)

    if svc.read_only_prices:
        print("update: --data-dir / STREAKBOT_DATA_DIR is set, so nothing is fetched or written.",
              file=sys.stderr)
        return EXIT_USAGE
    fetcher = svc.fetcher()
    if fetcher is None:
        print("update: offline mode: nothing fetched, the store is unchanged.", file=sys.stderr)
        return EXIT_FAILURE
    store = svc.price_store
    stored = store.symbols()
    wanted: list[str] = []
    for text in args.symbols or stored:
        sym = fetch_symbol(text, stored)
        if sym not in wanted:
            wanted.append(sym)
    report = update_prices(svc.prices_unit_of_work(), fetcher, svc.calendar, wanted, svc.clock())
    svc.market.refresh()
    if report.error:
        last = max((i.last_date for i in store.info().values() if i.last_date), default=None)
        as_of = f" Data as of {last:%Y-%m-%d}." if last else ""
        if report.problems:  # a rejected download: one line per problem
            print(f"update failed, the store is unchanged: the {fetcher.name} download failed "
                  f"validation.{as_of}", file=sys.stderr)
            for problem in report.problems:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_FAILURE
        print(f"update failed, the store is unchanged: {report.error}.{as_of}", file=sys.stderr)
        return EXIT_FAILURE
    for r in report.results:
        line = f"{r.symbol}: {r.status}"
        if r.added:
            line += f", {r.added} new session(s)"
        if r.last_date:
            line += f", last close {r.last_date:%Y-%m-%d}"
        if r.last_date and r.last_date < report.as_of_session:
            line += f" (the {report.as_of_session:%Y-%m-%d} close is not available yet)"
        if r.revised:
            line += f", revised {', '.join(f'{d:%Y-%m-%d}' for d in r.revised)}"
        if r.missing_sessions:
            line += f"; missing sessions: {', '.join(f'{d:%Y-%m-%d}' for d in r.missing_sessions[:10])}"
        for note in r.rejected:
            line += f"; {note}"
        for flag in r.flagged:
            line += f"; flagged: {flag}"
        print(line)
    return EXIT_OK if report.ok else EXIT_FAILURE


def cmd_leaders(svc: Services, args: argparse.Namespace) -> int:
    from bot.daily.commands import print_summary  # noqa: PLC0415 (pandas, the summary)

    # Not kept here: the next run on a ready SQLite store computes it on the light start
    # and keeps it there (print_leaders_light).
    return print_summary(svc, args.session)


def cmd_serve(svc: Services, args: argparse.Namespace) -> int:
    from bot.slack.serve import REQUEST_THREADS, serve  # noqa: PLC0415 (slack_bolt, gunicorn)

    return serve(svc, socket_mode=args.socket_mode, port=args.port, workers=args.workers,
                 threads=args.threads or REQUEST_THREADS)


def cmd_post_daily(svc: Services, args: argparse.Namespace) -> int:
    from bot.daily.commands import post_daily  # noqa: PLC0415 (pandas, sqlalchemy)
    from bot.daily.workers import parse_shard, start_workers  # noqa: PLC0415 (with the above)

    if args.shard is not None:
        return post_daily(svc, args.session, parse_shard(args.shard))
    if args.workers == 1:
        return post_daily(svc, args.session)
    from bot.daily.forked import can_fork, post_daily_forked  # noqa: PLC0415 (with the above)

    if can_fork():
        return post_daily_forked(svc, args.session, args.workers)
    extra = (["--data-dir", str(args.data_dir)] if args.data_dir else []) + (["--offline"] if args.offline else [])
    children = start_workers(args.workers, args.session, extra + (["-v"] if args.verbose else []))
    return max(child.wait() for child in children)


def cmd_alerts(svc: Services, args: argparse.Namespace) -> int:
    from bot.daily.alerts import run_alerts  # noqa: PLC0415 (pandas, sqlalchemy)
    from bot.daily.commands import refresh_prices, require_bot_token, settle_time  # noqa: PLC0415 (pandas, sqlalchemy)

    require_bot_token(svc.settings)
    return run_alerts(svc.market, svc.calendar, svc.alert_ledger, lambda: svc.alert_sender, svc.alert_store,
                      svc.clock, args.session, refresh=lambda now: refresh_prices(svc, now),
                      settle=settle_time(svc.settings))


def cmd_db(args: argparse.Namespace, services: Services | None) -> int:
    """``db upgrade|current``: no calendar, no price seeding, the schema as it is."""
    from bot.bootstrap import store_engine  # noqa: PLC0415 (pydantic, sqlalchemy, pandas)
    from bot.settings import load_settings  # noqa: PLC0415 (pydantic)
    from bot.store.db_commands import run_db_command  # noqa: PLC0415 (sqlalchemy, alembic)

    if services is not None:
        return run_db_command(args.db_action, services.unmigrated_engine())
    engine = store_engine(load_settings())  # ConfigError when malformed
    try:
        return run_db_command(args.db_action, engine)
    finally:
        engine.dispose()


def cmd_clock(svc: Services, args: argparse.Namespace) -> int:
    from bot.daily.clock import run_clock  # noqa: PLC0415 (apscheduler)

    return run_clock(svc)


COMMANDS: dict[str, Callable[[Services, argparse.Namespace], int]] = {
    "streak": cmd_streak,
    "next": cmd_next,
    "records": cmd_records,
    "ask": cmd_ask,
    "check": cmd_check,
    "update": cmd_update,
    "leaders": cmd_leaders,
    "serve": cmd_serve,
    "post-daily": cmd_post_daily,
    "alerts": cmd_alerts,
    "clock": cmd_clock,
}


def main(argv: Sequence[str] | None = None, services: Services | None = None) -> int:
    """Run the CLI. ``services`` lets tests inject fakes (fetcher, clock, store)."""
    verbose = False
    database_url: str | None = None
    try:
        args = build_parser().parse_args(argv)
        verbose = args.verbose
        if args.command is None:
            build_parser().print_help()
            return EXIT_USAGE
        logging.basicConfig(
            level=logging.INFO if args.verbose else logging.WARNING,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        if not args.verbose and args.command in ("streak", "next", "records", "ask", "check", "update", "leaders"):
            # One-shot commands report problems in their own words; the retry-by-retry
            # log lines (ours and yfinance's) are for -v.
            for name in ("yfinance", "bot.adapters"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        if args.command == "db":
            return cmd_db(args, services)
        if services is None and (status := run_light(args)) is not None:
            return status
        if services is None:
            from bot.bootstrap import bootstrap  # noqa: PLC0415 (pydantic, sqlalchemy, pandas)
            from bot.settings import load_settings  # noqa: PLC0415 (pydantic)

            overrides: dict[str, Any] = {}
            if args.data_dir is not None:
                overrides["STREAKBOT_DATA_DIR"] = args.data_dir
            if args.offline:
                overrides["STREAKBOT_OFFLINE"] = True
            services = bootstrap(load_settings(**overrides))
        else:
            if args.data_dir is not None:
                services.settings.data_dir = args.data_dir
            if args.offline:
                services.settings.offline = True
        database_url = services.settings.database_url_value
        return COMMANDS[args.command](services, args)
    except (UserError, ConfigError) as exc:
        return _fail(EXIT_USAGE, str(exc), exc, verbose)
    except (DataSourceError, SchemaError) as exc:  # a refused --data-dir folder or store
        return _fail(EXIT_FAILURE, str(exc), exc, verbose)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from bot.failures import explain  # noqa: PLC0415 (sqlalchemy)

        failure = explain(exc, database_url=database_url)
        if failure is not None:
            return _fail(failure.status, failure.message, exc, verbose)
        return _fail(
            EXIT_FAILURE, f"unexpected error: {type(exc).__name__}: {exc}".splitlines()[0]
            + ("" if verbose else " (run with -v for the details)"), exc, verbose,
        )


def _fail(status: int, message: str, exc: BaseException, verbose: bool) -> int:
    """One line on stderr; the traceback before it with ``-v``."""
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    print(f"streakbot: {message}", file=sys.stderr)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
