"""The one command registry: every transport is generated from these declarations.

A feature declares its command once, as a `Spec`: name, typed `Param`s, subcommands, admin-only and
hidden flags. Its descriptions live in the i18n catalog (`bot/core/locales/commands.yaml`) under
`command.<path>` for the command and `command.<path>.<param>` for each parameter, e.g.
`command.daily.set` and `command.daily.set.channel`, each with `zh` and `en`. From the registry come:

- the console and chat commands (`!quiz 2 autograd`): `Registry.parse` turns the text after the
  command into typed values (positional words, or the spec's own order-free `parse`);
- the Discord slash commands (`bot/discord_adapter/slash.py`): one `app_commands.Command` or `Group`
  per spec, its options typed from the params, descriptions localised by the translator, autocomplete
  from the param's `autocomplete` source; the adapter hands the typed values straight to the core;
- `/help` (`Registry.listed` and `Spec.usage`).

A handler receives `(tutor, request)`. `request.args` holds the typed values by param name
(int for `int`, bool for `bool`, int ids for `user` and `channel`, str otherwise, None when omitted);
`request.text` keeps the raw text after the command (on Discord: the values joined by spaces), so a
handler written for the older line-based table keeps working unchanged.

Porting a `(tutor, request)` command that reads `request.text` (e.g. an entry
`("challenge", "/challenge [topic]", "<zh summary>", "<en summary>", challenge_command)` of the old
`build_commands` list, or a hidden `("challenge-answer", handler)` one):

    1. in `bot/core/tutor.py` `build_registry`, add
           Spec("challenge", challenge_command, params=(Param("text", "text"),))
       (`Param("topic", "text", required=True)` when it needs an argument; the usage line is
       generated, so the old usage string goes away). A button-only action is
           Spec("challenge-answer", handler, params=(Param("text", "text", slash=False),), hidden=True)
       and needs no descriptions;
    2. in `bot/core/locales/commands.yaml` add `command.challenge` (the old zh/en summaries) and
       `command.challenge.text` (the option), each with `zh` and `en`, at most 100 characters.
    That is all: `/help`, the console, `!challenge ...` and the slash command `/challenge` with one
    string option now exist, and `request.text` is what the member typed after the command.
    To take typed options later, declare them (`Param("level", "int", min=1, max=3)`,
    `Param("framework", "choice", choices=("pytorch", "tensorflow"))`, `autocomplete="topics"`) and
    read `request.args["level"]`; Discord then offers a real integer option with its range.

`request.lang` is already the member's stored language when they chose one (`request.lang_chosen`),
else their client's locale; `await tutor.reply_lang(request, fallback)` keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from bot.core.context import Request
from bot.core.replies import Reply

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

Handler = Callable[["Tutor", Request], Awaitable[Reply]]
ParamKind = Literal["str", "text", "int", "bool", "choice", "user", "channel"]
# Where autocomplete suggestions come from; the adapters map each name to a lookup.
Source = Literal["topics", "demos", "categories", "zones"]
Values = dict[str, object]
TextParser = Callable[[str], Values]

_MENTION = {
    "user": re.compile(r"^(?:<@!?(\d{1,20})>|(\d{1,20}))$"),
    "channel": re.compile(r"^(?:<#(\d{5,20})>|(\d{5,20}))$"),
}
_TRUE = {"on", "true", "yes", "1", "开"}
_FALSE = {"off", "false", "no", "0", "关"}


class ArgError(ValueError):
    """The text after a command does not fit its parameters; `word` is the first word that did not."""

    def __init__(self, word: str, reason: str = "bad") -> None:
        super().__init__(word)
        self.word = word
        self.reason = reason  # "bad", "missing" or "extra"
        self.usage = ""  # filled in by Registry.parse: how the command is used


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: ParamKind = "str"  # "text": the rest of the line, spaces and all
    required: bool = False
    choices: tuple[str, ...] = ()
    autocomplete: Source | None = None
    min: int | None = None
    max: int | None = None
    slash: bool = True  # False: typed in the console or chat, or sent by a button; no slash option
    slash_required: bool = False  # required on Discord only (the console's server has no channel)

    def convert(self, word: str) -> object:
        lowered = word.lower()
        if self.kind == "int":
            try:
                value = int(lowered.removeprefix("level").removeprefix("l"))
            except ValueError:
                raise ArgError(word) from None
            if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
                raise ArgError(word)
            return value
        if self.kind == "bool":
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ArgError(word)
        if self.kind == "choice":
            if lowered not in self.choices:
                raise ArgError(word)
            return lowered
        if self.kind in _MENTION:
            match = _MENTION[self.kind].match(word)
            if match is None:
                raise ArgError(word)
            return int(match[1] or match[2])
        return word

    @property
    def usage(self) -> str:
        shown = "|".join(self.choices) if self.kind == "choice" else self.name
        return f"<{shown}>" if self.required else f"[{shown}]"


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    handler: Handler | None = None  # None for a group: its subcommands have handlers
    params: tuple[Param, ...] = ()
    subcommands: tuple[Spec, ...] = ()
    default: str | None = None  # the subcommand a bare group runs (`/daily` is `/daily status`)
    admin: bool = False  # Manage Server: a hint to Discord's client; the feature checks again
    hidden: bool = False  # internal actions behind buttons: no /help, no slash command
    slash: bool = True
    chat: bool = True
    guild_only: bool = False
    # Order-free text parsing for the console and chat. It should not raise: it leaves a word it does
    # not understand in `values["invalid"]`, for the handler to explain in its own words.
    parse: TextParser | None = None

    def key(self, parent: str = "") -> str:
        return f"command.{parent}{self.name}"

    def sub(self, name: str) -> Spec | None:
        return next((s for s in self.subcommands if s.name == name), None)

    def usage(self) -> str:
        if self.subcommands:
            return f"/{self.name} " + "|".join(s.name for s in self.subcommands)
        return " ".join([f"/{self.name}", *(p.usage for p in self.params if p.slash)])


@dataclass(frozen=True, slots=True)
class Invocation:
    """A command resolved against the registry: which handler, with which typed values."""

    spec: Spec
    path: tuple[str, ...]  # ("daily", "set")
    args: Mapping[str, object] = field(default_factory=dict)
    text: str = ""

    @property
    def usage(self) -> str:
        if len(self.path) == 1:
            return self.spec.usage()
        return " ".join([f"/{' '.join(self.path)}", *(p.usage for p in self.spec.params if p.slash)])


def positional(params: tuple[Param, ...], text: str) -> Values:
    """Words in declaration order; a `text` param takes the rest of the line."""
    values: Values = {p.name: None for p in params}
    rest = text.strip()
    for param in params:
        if not rest:
            break
        if param.kind == "text":
            values[param.name] = rest
            rest = ""
            break
        word, _, rest = rest.partition(" ")
        rest = rest.strip()
        values[param.name] = param.convert(word)
    if rest:
        raise ArgError(rest.split()[0], "extra")
    return values


def check_required(params: tuple[Param, ...], values: Values) -> None:
    for param in params:
        if param.required and values.get(param.name) in (None, ""):
            raise ArgError(param.name, "missing")


def join_values(params: tuple[Param, ...], values: Mapping[str, object]) -> str:
    """The values as the line a member could have typed (for handlers that read `request.text`)."""
    words = []
    for param in params:
        value = values.get(param.name)
        if value is None:
            continue
        if param.kind == "bool":
            words.append("on" if value else "off")
        elif param.kind == "user":
            words.append(f"<@{value}>")
        elif param.kind == "channel":
            words.append(f"<#{value}>")
        else:
            words.append(str(value))
    return " ".join(words)


class Registry:
    def __init__(self, specs: tuple[Spec, ...] = ()) -> None:
        self._specs: dict[str, Spec] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: Spec) -> None:
        if spec.name in self._specs:
            raise ValueError(f"command {spec.name!r} registered twice")
        if (spec.handler is None) == (not spec.subcommands):
            raise ValueError(f"command {spec.name!r} needs a handler or subcommands, not both")
        self._specs[spec.name] = spec

    def get(self, name: str) -> Spec | None:
        return self._specs.get(name)

    def listed(self) -> list[Spec]:
        return [s for s in self._specs.values() if not s.hidden]

    def __iter__(self) -> Iterator[Spec]:
        return iter(self._specs.values())

    def parse(self, name: str, text: str) -> Invocation | None:
        """The console's and chat's way in: `daily`, `set 09:00 UTC` -> (daily set, typed values).

        None when there is no such command; raises ArgError when the words do not fit.
        """
        spec = self._specs.get(name)
        if spec is None:
            return None
        try:
            return self._parse(spec, text)
        except ArgError as exc:
            exc.usage = exc.usage or spec.usage()
            raise

    def _parse(self, spec: Spec, text: str) -> Invocation:
        name = spec.name
        path: tuple[str, ...] = (name,)
        if spec.subcommands:
            head, _, rest = text.strip().partition(" ")
            chosen = spec.sub(head.lower()) if head else spec.sub(spec.default or "")
            if chosen is None:
                raise ArgError(head, "bad" if head else "missing")
            spec, text, path = chosen, rest.strip() if head else "", (name, chosen.name)
        invocation = Invocation(spec, path, {}, text.strip())
        try:
            if spec.parse is not None:  # the spec's own parser, and its handler, check the words
                values = spec.parse(text)
            else:
                values = positional(spec.params, text)
                check_required(spec.params, values)
        except ArgError as exc:
            exc.usage = invocation.usage
            raise
        return Invocation(spec, path, values, text.strip())

    def resolve(self, path: tuple[str, ...], values: Mapping[str, object]) -> Invocation:
        """The slash commands' way in: typed values already, by parameter name."""
        spec = self._specs[path[0]]
        for name in path[1:]:
            sub = spec.sub(name)
            if sub is None:
                raise KeyError(path)
            spec = sub
        full = {p.name: values.get(p.name) for p in spec.params}
        return Invocation(spec, path, full, join_values(spec.params, full))

    def description_keys(self) -> list[str]:
        """Every catalog key the registry's descriptions need."""
        keys: list[str] = []
        for spec in self.listed():
            keys.extend(_keys(spec, ""))
        return keys


def _keys(spec: Spec, parent: str) -> list[str]:
    key = spec.key(parent)
    found = [key, *(f"{key}.{p.name}" for p in spec.params)]
    for sub in spec.subcommands:
        found.extend(_keys(sub, f"{parent}{spec.name}."))
    return found
