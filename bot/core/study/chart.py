"""The /progress chart: answers per day (right and wrong) and mastery per category, as a PNG.

Rendered with matplotlib's object API on the Agg canvas (no pyplot, no global state), so it can run
in a worker thread. Labels come in the member's language: Chinese needs a CJK font (`make setup` and the
bot image install Debian's fonts-wqy-microhei); where none is installed the chart falls back to English
labels and logs that once, rather than drawing empty boxes.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from dataclasses import dataclass, field
from functools import cache

from bot.core.study.mastery import CategoryMastery
from bot.core.study.stats import DayCount

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 4.2, 100
RIGHT, WRONG, BAR = "#2e9e6b", "#d9534f", "#4c72b0"
_RENDER = threading.Lock()  # matplotlib's font caches are shared: one render at a time
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """Every text drawn on the chart; the English defaults are also the fallback without a CJK font."""

    answers_title: str = "Answers and reviews per day"
    mastery_title: str = "Mastery per category (%)"
    right: str = "right"
    wrong: str = "wrong"
    categories: dict[str, str] = field(default_factory=dict)

    @property
    def needs_cjk(self) -> bool:
        texts = [self.answers_title, self.mastery_title, self.right, self.wrong, *self.categories.values()]
        return any("\u4e00" <= ch <= "\u9fff" for text in texts for ch in text)


@dataclass(frozen=True, slots=True)
class ChartData:
    days: list[DayCount]
    mastery: list[CategoryMastery]
    title: str
    labels: ChartLabels = field(default_factory=ChartLabels)


@cache
def cjk_font() -> str | None:
    """The first installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed & set(CJK_FONTS):
        # matplotlib caches its font list; a font installed after that cache was built is added here.
        for path in font_manager.findSystemFonts():
            if any(key in path.lower() for key in ("wqy", "notosanscjk", "sourcehansans")):
                font_manager.fontManager.addfont(path)
        installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None:
        log.warning(
            "no CJK font is installed (Debian: fonts-wqy-microhei): progress charts use English labels"
        )
    return found


def render_png(data: ChartData) -> bytes:
    """Blocking (imports matplotlib on first use, then about a tenth of a second): call it in a thread."""
    with _RENDER:
        return _render(data)


def _render(data: ChartData) -> bytes:
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels, font = data.labels, None
    if labels.needs_cjk:
        font = cjk_font()
        if font is None:
            labels = ChartLabels()
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with rc_context({"font.family": "sans-serif", "font.sans-serif": families}):
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        answers_axes, mastery_axes = figure.subplots(1, 2, width_ratios=(1.1, 1))
        _answers(answers_axes, data.days, labels)
        _mastery(mastery_axes, data.mastery, labels)
        figure.suptitle(data.title)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _answers(axes, days: list[DayCount], labels: ChartLabels) -> None:
    dates = [dt.date.fromordinal(d.day).strftime("%m-%d") for d in days]
    right = [d.correct for d in days]
    wrong = [d.answers - d.correct for d in days]
    positions = range(len(days))
    axes.bar(positions, right, color=RIGHT, label=labels.right)
    axes.bar(positions, wrong, bottom=right, color=WRONG, label=labels.wrong)
    axes.set_xticks(list(positions), dates, rotation=60, fontsize=8)
    axes.set_title(labels.answers_title)
    axes.set_ylim(0, max(1, *(d.answers for d in days)) if days else 1)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="upper left", fontsize=8)


def _mastery(axes, mastery: list[CategoryMastery], labels: ChartLabels) -> None:
    ordered = sorted(mastery, key=lambda m: m.category, reverse=True)
    names = [labels.categories.get(m.category, m.category) for m in ordered]
    axes.barh(names, [100 * m.mastery for m in ordered], color=BAR)
    axes.set_xlim(0, 100)
    axes.set_title(labels.mastery_title)
    axes.tick_params(axis="y", labelsize=8)
