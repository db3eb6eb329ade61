"""Discord's slash and chat commands, generated from the core registry (`bot/core/registry.py`).

For every listed spec: an `app_commands.Command` (or a `Group` of its subcommands) whose options
come from the spec's params (str, int with its range, bool, a fixed choice, a member, a text
channel), descriptions as `locale_str`s keyed `command.<path>[.<param>]` that `CatalogTranslator`
turns into zh-CN, zh-TW and en-US from the i18n catalog, and autocomplete from the param's source.
The callback hands the typed values to `Tutor.run` as they are. Chat commands (`!quiz 2 autograd`)
are one `commands.Command` per spec that passes the text to `Tutor.handle`, which parses it against
the same registry.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands
from opencc import OpenCC

from bot.core.categories import category_name
from bot.core.context import lang_from_locale
from bot.core.daily.set_args import zone_suggestions
from bot.core.i18n import catalog
from bot.core.registry import Param, Registry, Source, Spec
from bot.discord_adapter import limits
from bot.discord_adapter.render import clip

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

log = logging.getLogger(__name__)

# Runs a slash command: the command's path (("daily", "set")) and its typed values by param name.
SlashRunner = Callable[[discord.Interaction, tuple[str, ...], dict[str, object]], Awaitable[None]]
ChatRunner = Callable[[commands.Context, str], Awaitable[None]]
TutorOf = Callable[[], "Tutor"]
MANAGE_SERVER = discord.Permissions(manage_guild=True)


class CatalogTranslator(app_commands.Translator):
    """Descriptions in zh-CN, zh-TW (converted from the Simplified text) and en-US; names never change."""

    def __init__(self) -> None:
        self._traditional = OpenCC("s2twp")

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        if key is None or key not in catalog():
            return None
        texts = catalog()[key]
        if locale is discord.Locale.taiwan_chinese:
            return clip(self._traditional.convert(texts["zh"]), 100)
        if locale is discord.Locale.chinese:
            return clip(texts["zh"], 100)
        if locale in (discord.Locale.american_english, discord.Locale.british_english):
            return clip(texts["en"], 100)
        return None


def described(key: str) -> app_commands.locale_str:
    """English is the default (for every locale without a translation), keyed for the translator."""
    english = catalog()[key]["en"] if key in catalog() else key
    return app_commands.locale_str(clip(english, 100), key=key)


def _annotation(param: Param) -> Any:
    if param.kind == "int":
        if param.min is not None or param.max is not None:
            return app_commands.Range[int, param.min, param.max]
        return int
    if param.kind == "bool":
        return bool
    if param.kind == "choice":
        return Literal.__getitem__(param.choices)
    if param.kind == "user":
        return discord.User
    if param.kind == "channel":
        return discord.TextChannel
    return str


def _value(param: Param, value: object) -> object:
    """Discord objects become the ids the core keeps."""
    if value is None:
        return None
    if param.kind in ("user", "channel"):
        return int(getattr(value, "id", value))  # type: ignore[call-overload]
    return value


def _callback(path: tuple[str, ...], spec: Spec, run: SlashRunner) -> Callable[..., Awaitable[None]]:
    params = [p for p in spec.params if p.slash]

    async def callback(interaction: discord.Interaction, **values: object) -> None:
        typed = {p.name: _value(p, values.get(p.name)) for p in params}
        await run(interaction, path, typed)

    signature = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for param in params:
        signature.append(
            inspect.Parameter(
                param.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(param),
                default=inspect.Parameter.empty if param.required or param.slash_required else None,
            )
        )
    callback.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    callback.__qualname__ = callback.__name__ = "_".join(path).replace("-", "_")
    base = "command." + ".".join(path)
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        p.name: described(f"{base}.{p.name}") for p in params
    }
    return callback


def build_app_commands(
    registry: Registry, run: SlashRunner, tutor: TutorOf
) -> list[app_commands.Command | app_commands.Group]:
    built: list[app_commands.Command | app_commands.Group] = []
    for spec in registry.listed():
        if not spec.slash:
            continue
        if spec.subcommands:
            group = app_commands.Group(
                name=spec.name,
                description=described(spec.key()),
                guild_only=all(s.guild_only for s in spec.subcommands),
            )
            for sub in spec.subcommands:
                group.add_command(_command((spec.name, sub.name), sub, run, tutor, parent=group))
            built.append(group)
        else:
            built.append(_command((spec.name,), spec, run, tutor))
    return built


def _command(
    path: tuple[str, ...],
    spec: Spec,
    run: SlashRunner,
    tutor: TutorOf,
    parent: app_commands.Group | None = None,
) -> app_commands.Command:
    command: app_commands.Command = app_commands.Command(
        name=spec.name,
        description=described("command." + ".".join(path)),
        callback=_callback(path, spec, run),
        parent=parent,
    )
    if parent is None:  # Discord keeps permissions and contexts on top-level commands only
        if spec.admin:
            command.default_permissions = MANAGE_SERVER
        if spec.guild_only:
            command.guild_only = True
    for param in spec.params:
        if param.slash and param.autocomplete is not None:
            command.autocomplete(param.name)(_autocomplete(param.autocomplete, tutor))
    return command


def _autocomplete(
    source: Source, tutor: TutorOf
) -> Callable[[discord.Interaction, str], Awaitable[list[app_commands.Choice[str]]]]:
    async def suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        lang = lang_from_locale(str(interaction.locale), "zh")
        return [
            app_commands.Choice(name=clip(name, limits.AUTOCOMPLETE_NAME), value=value[:100])
            for name, value in suggestions(tutor(), source, current, lang)[: limits.AUTOCOMPLETE_CHOICES]
        ]

    return suggest


def suggestions(tutor: Tutor, source: Source, current: str, lang: str) -> list[tuple[str, str]]:
    """(shown name, value) pairs for what the member has typed so far."""
    needle = current.lower().strip()
    if source == "topics":
        found = tutor.library.index.suggest(current[:200], limit=limits.AUTOCOMPLETE_CHOICES, lang=lang)
        return [(s.name, s.value) for s in found]  # the value is a topic id: /ask answers it exactly
    if source == "demos":
        names = sorted(tutor.library.bank.demos)
        return [(n, n) for n in names if needle in n]
    if source == "categories":
        out = []
        for category in tutor.library.categories:
            shown = category_name(category, "zh" if lang == "zh" else "en")
            if needle in category or needle in shown.lower():
                out.append((f"{shown} ({category})" if shown != category else category, category))
        return out
    return [(n, n) for n in zone_suggestions(current, limits.AUTOCOMPLETE_CHOICES)]


def build_chat_commands(registry: Registry, run: ChatRunner) -> list[commands.Command]:
    """`!name rest of the line` for every spec that allows chat; the core parses the rest."""
    built = []
    for spec in registry.listed():
        if spec.chat:
            built.append(commands.Command(_chat_callback(spec.name, run), name=spec.name))
    return built


def _chat_callback(name: str, run: ChatRunner) -> Callable[..., Awaitable[None]]:
    async def callback(ctx: commands.Context, *, text: str = "") -> None:
        await run(ctx, f"/{name} {text}".strip())

    callback.__qualname__ = callback.__name__ = f"chat_{name.replace('-', '_')}"
    return callback
