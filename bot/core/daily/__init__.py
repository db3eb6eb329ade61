"""The daily question: once a day per server, at its local time, never twice, never lost.

Layout (storage functions take a `sqlite_utils.Database` and run on the database thread):

* schedule.py: local time + IANA zone -> due instants, across DST gaps and folds;
* config.py: `daily_configs`, a server's channel, time, zone, filters, on/off and why;
* picker.py, planning.py: which question (no topic twice in 60 days; deterministic per server and date),
  which posts are due, what `/daily preview` shows;
* posts.py: the outbox `daily_posts`, keyed by (server, local date), planned -> sending -> sent -> recorded;
* poster.py: the `Poster` protocol the transport implements; message.py: what a post says;
* scheduler.py: `DailyScheduler.tick()` moves every due post along, `run()` ticks on an injected clock.py;
* answers.py, answer_cmd.py, daily_cmd.py: the buttons and the `/daily` commands.

Exactly once: a post's row is committed as `sending`, with a transport checkpoint, before the message
goes out; the message's footer carries the post's marker. A `sending` row found later (a crash, an
outage, an error between sending and recording) is first looked for in the channel after the
checkpoint; only when it is not there is it sent again, and only within the grace window.
"""

from bot.core.daily.clock import Clock, ManualClock, SystemClock
from bot.core.daily.poster import Outgoing, Poster, PostRefused
from bot.core.daily.scheduler import DailyOptions, DailyScheduler, TickReport

__all__ = [
    "Clock",
    "DailyOptions",
    "DailyScheduler",
    "ManualClock",
    "Outgoing",
    "PostRefused",
    "Poster",
    "SystemClock",
    "TickReport",
]
