"""The /progress chart: answers per day (right and wrong) and mastery per category, as a PNG.

Rendered with matplotlib's object API on the Agg canvas (no pyplot, no global state), so it can run
in a worker thread. Labels are ASCII (category ids, English axis titles): the default fonts have no
Chinese glyphs, and the reply text around the chart is bilingual.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from dataclasses import dataclass

from bot.core.study.mastery import CategoryMastery
from bot.core.study.stats import DayCount

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 4.2, 100
RIGHT, WRONG, BAR = "#2e9e6b", "#d9534f", "#4c72b0"
_RENDER = threading.Lock()  # matplotlib's font caches are shared: one render at a time


@dataclass(frozen=True, slots=True)
class ChartData:
    days: list[DayCount]
    mastery: list[CategoryMastery]
    title: str


def render_png(data: ChartData) -> bytes:
    """Blocking (imports matplotlib on first use, then about a tenth of a second): call it in a thread."""
    with _RENDER:
        return _render(data)


def _render(data: ChartData) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    answers_axes, mastery_axes = figure.subplots(1, 2, width_ratios=(1.1, 1))
    _answers(answers_axes, data.days)
    _mastery(mastery_axes, data.mastery)
    figure.suptitle(data.title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _answers(axes, days: list[DayCount]) -> None:
    labels = [dt.date.fromordinal(d.day).strftime("%m-%d") for d in days]
    right = [d.correct for d in days]
    wrong = [d.answers - d.correct for d in days]
    positions = range(len(days))
    axes.bar(positions, right, color=RIGHT, label="right")
    axes.bar(positions, wrong, bottom=right, color=WRONG, label="wrong")
    axes.set_xticks(list(positions), labels, rotation=60, fontsize=8)
    axes.set_title("Answers and reviews per day")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="upper left", fontsize=8)


def _mastery(axes, mastery: list[CategoryMastery]) -> None:
    ordered = sorted(mastery, key=lambda m: m.category, reverse=True)
    axes.barh([m.category for m in ordered], [100 * m.mastery for m in ordered], color=BAR)
    axes.set_xlim(0, 100)
    axes.set_title("Mastery per category (%)")
    axes.tick_params(axis="y", labelsize=8)
