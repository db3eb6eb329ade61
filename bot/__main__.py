"""`python -m bot [console | ask | db backup PATH]`: Discord by default."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.logs import setup_logging
from bot.settings import ConfigError, Settings, load_settings

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Backprop, the deep-learning interview tutor."
    )
    sub = parser.add_subparsers(dest="command")
    discord_cmd = sub.add_parser("discord", help="run on Discord (the default; needs DISCORD_TOKEN)")
    discord_cmd.add_argument(
        "--sync",
        choices=["guild", "global"],
        default=None,
        help="sync slash commands once at start (guild: BACKPROP_DEV_GUILD_ID)",
    )
    sub.add_parser("console", help="the local console with the same commands")
    ask = sub.add_parser("ask", help="one-shot topic search")
    ask.add_argument("query", nargs="?", default=None)
    ask.add_argument("--json", action="store_true", help="one JSON object per query")
    ask.add_argument("--batch", type=Path, help="a file with one query per line ('-' for stdin)")
    sub.add_parser("health", help="exit 0 if the Discord bot was connected in the last two minutes")
    from bot.challenge_cli import add_parser as add_challenge_parser

    add_challenge_parser(sub)
    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    backup = db_sub.add_parser("backup", help="a consistent copy with SQLite's online backup API")
    backup.add_argument("path", type=Path)
    return parser


def _backup(settings: Settings, target: Path) -> int:
    from bot.storage.database import backup

    try:
        pages = backup(settings.database_path, target)
    except FileNotFoundError as exc:
        sys.stderr.write(f"backup: {exc}\n")
        return 1
    log.info("backed up %s to %s (%d pages)", settings.database_path, target, pages)
    return 0


def _discord(settings: Settings, sync: str | None) -> int:
    if settings.discord_token is None:
        sys.stderr.write(
            "DISCORD_TOKEN is not set: export DISCORD_TOKEN=... to run on Discord, "
            "or use `make run` for the local console.\n"
        )
        return 2
    from bot.discord_adapter.client import BackpropBot

    bot = BackpropBot(settings, sync_on_start=sync)
    bot.run(settings.discord_token.get_secret_value(), log_handler=None)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        sys.stderr.write(f"config error: {exc}\n")
        return 2
    setup_logging(settings.log_level if args.command not in ("console", "ask", "challenge") else "WARNING")
    if args.command == "console":
        from bot.console.repl import run_console

        try:
            return asyncio.run(run_console(settings))
        except KeyboardInterrupt:  # Ctrl-C before the console took over SIGINT (while starting)
            return 130
    if args.command == "ask":
        from bot.ask_cli import run_ask

        if args.query is None and args.batch is None:
            sys.stderr.write("ask: give a QUERY or --batch FILE\n")
            return 2
        return run_ask(args.query, args.batch, args.json)
    if args.command == "challenge":
        from bot.challenge_cli import run_challenge_cli

        return run_challenge_cli(args)
    if args.command == "db":
        return _backup(settings, args.path)
    if args.command == "health":
        from bot.health import check

        healthy, why = check(settings.data_dir)
        sys.stderr.write(f"{'healthy' if healthy else 'unhealthy'}: {why}\n")
        return 0 if healthy else 1
    return _discord(settings, getattr(args, "sync", None))


if __name__ == "__main__":
    sys.exit(main())
