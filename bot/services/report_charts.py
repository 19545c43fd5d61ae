"""Draw the /report charts with matplotlib in the shipped CJK font, on the Agg canvas (no
display, no pyplot: each chart is its own Figure, nothing global but the font manager).

The font (bot/data/fonts, Noto Sans CJK SC subset, SIL OFL) is registered with matplotlib's
font manager at the first drawing, so Chinese renders on a machine with no CJK font
installed; DejaVu Sans, which matplotlib ships, is the fallback for the symbols it lacks.
Labels come from users (organisation names), so every character neither font has is
replaced by □ before drawing: a missing glyph can never reach the image. The images are
1080 px wide, with text sized for a phone screen.
"""

from __future__ import annotations

import functools
import io
import unicodedata
import warnings
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from matplotlib import dates as mdates
from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import FuncFormatter, PercentFormatter

from bot.core.charts import (
    ChartImage,
    MeetingPoint,
    OrgBar,
    ReportCharts,
    ReportData,
)
from bot.core.meetings import MeetingType, shorten
from bot.texts import reports as texts

FONT_FILE = Path(__file__).resolve().parent.parent / "data" / "fonts" / "ChartSansSC-Regular.otf"
FAMILY = "ChartSans SC"
FALLBACK = "DejaVu Sans"
REPLACEMENT = "□"
WIDTH_INCHES, DPI = 10.8, 100  # 1080 px: a phone screen's width, shown without scaling
ATTENDANCE_HEIGHT = 8.1
BELOW_BASE_HEIGHT, BELOW_ROW_HEIGHT = 2.6, 1.05
NAME_CHARS = 12
MIN_ROWS = 3
LABELS_SHOWN = 15  # more meetings than this: no percentage over each point
STYLE: Any = {  # matplotlib's stubs type rc keys as literals
    "font.family": [FAMILY, FALLBACK],
    "font.size": 18,
    "axes.titlesize": 20,
    "axes.labelsize": 18,
    "xtick.labelsize": 17,
    "ytick.labelsize": 19,
    "legend.fontsize": 17,
    "text.parse_math": False,  # a $ in a name is a dollar sign, not TeX
    "axes.unicode_minus": False,
}
KIND_COLOURS = dict(
    zip(
        MeetingType,
        (
            "#c0392b",
            "#2471a3",
            "#229954",
            "#d68910",
            "#7d3c98",
            "#17a589",
            "#a04000",
            "#566573",
            "#839192",
        ),
        strict=True,
    )
)
MEETINGS_COLOUR, STUDY_COLOUR = "#c0392b", "#2471a3"


@cache
def _coverage() -> frozenset[int]:
    """Register the shipped font (once per process); the code points it and DejaVu draw."""
    if FAMILY not in {entry.name for entry in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(FONT_FILE))
    fallback = font_manager.findfont(FALLBACK, fallback_to_default=False)
    codes = set(FT2Font(str(FONT_FILE)).get_charmap()) | set(FT2Font(fallback).get_charmap())
    return frozenset(codes)


def safe_label(text: str, limit: int = 200) -> str:
    """`text` cut to `limit`, with control characters as spaces and what no font has as □."""
    covered = _coverage()
    out = []
    for char in shorten(text, limit):
        if unicodedata.category(char) in ("Cc", "Cf"):  # line breaks, bidi marks, ZWJ ...
            out.append(" ")
        elif unicodedata.category(char) == "Zs" or ord(char) in covered:
            out.append(char if char != "\u3000" else " ")
        else:
            out.append(REPLACEMENT)
    return "".join(out)


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{round(rate * 100)}%"


def _day(value: float, _position: object = None) -> str:
    moment = mdates.num2date(value)  # type: ignore[no-untyped-call]
    return texts.DAY.format(month=moment.month, day=moment.day)


def _render(figure: Figure) -> tuple[bytes, tuple[str, ...]]:
    """The PNG and the warnings drawing raised."""
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue(), tuple(str(item.message) for item in caught)


def _image(draw: Callable[[], Figure], filename: str, caption: str) -> ChartImage:
    with rc_context(STYLE):
        figure = draw()
        content, raised = _render(figure)
    width, height = (round(side * DPI) for side in figure.get_size_inches())
    return ChartImage(safe_label(filename, 120), content, width, height, caption, raised)


def _titles(figure: Figure, title: str, data: ReportData) -> None:
    subtitle = texts.SUBTITLE.format(period=data.period, span=data.span)
    figure.suptitle(f"{safe_label(title, 60)}\n{subtitle}", fontsize=24)


def attendance_figure(data: ReportData) -> Figure:
    """Each meeting's attendance rate at its date, coloured by type."""
    figure = Figure(figsize=(WIDTH_INCHES, ATTENDANCE_HEIGHT), dpi=DPI, layout="constrained")
    axes: Any = figure.add_subplot()  # its stubs take no datetimes, which it plots
    _titles(figure, texts.TITLE_ATTENDANCE.format(org=data.org), data)
    points = [p for p in data.meetings if p.rate is not None]
    axes.plot([p.starts for p in points], [p.rate for p in points], color="#aab7b8", zorder=1)
    for kind in MeetingType:
        mine = [p for p in points if p.kind is kind]
        if mine:
            axes.scatter(
                [p.starts for p in mine],
                [p.rate for p in mine],
                s=170,
                color=KIND_COLOURS[kind],
                label=kind.label,
                zorder=2,
            )
    if len(points) <= LABELS_SHOWN:
        _point_labels(axes, points)
    axes.set_ylim(0, 1.15)
    # The period's end is the next day's midnight: stop short of it, or its tick is cut off.
    axes.set_xlim(data.first, data.last - timedelta(hours=12))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylabel(texts.AXIS_RATE)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(FuncFormatter(_day))
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=4, frameon=False)
    return figure


def _point_labels(axes: Any, points: list[MeetingPoint]) -> None:
    for point in points:
        axes.annotate(
            _percent(point.rate),
            (point.starts, point.rate),
            textcoords="offset points",
            xytext=(0, 12),
            ha="center",
            fontsize=16,
        )


def below_figure(data: ReportData, page: list[OrgBar], number: int, pages: int) -> Figure:
    """Two bars per organisation below: 三会一课 completion and study completion."""
    slots = max(len(page), MIN_ROWS)  # a lone organisation still gets a readable chart
    height = BELOW_BASE_HEIGHT + BELOW_ROW_HEIGHT * slots
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    title = texts.TITLE_BELOW.format(org=data.org)
    if pages > 1:
        title += f"（{number}/{pages}）"
    _titles(figure, title, data)
    rows = range(len(page))
    for offset, colour, label, rate_of, empty in (
        (-0.2, MEETINGS_COLOUR, texts.LEGEND_MEETINGS, _meetings_rate, texts.NOT_APPLICABLE),
        (0.2, STUDY_COLOUR, texts.LEGEND_STUDY, _study_rate, texts.NO_TOPIC),
    ):
        rates = [rate_of(bar) for bar in page]
        positions = [row + offset for row in rows]
        axes.barh(positions, [r or 0 for r in rates], height=0.38, color=colour, label=label)
        for y, rate in zip(positions, rates, strict=True):
            text = empty if rate is None else _percent(rate)
            axes.text((rate or 0) + 0.01, y, text, va="center", fontsize=16)
    names = [safe_label(bar.name, NAME_CHARS) for bar in page]
    axes.set_yticks(list(rows), labels=names)
    axes.set_ylim(slots - 0.5, -0.5)  # the lowest completion at the top
    axes.set_xlim(0, 1.22)
    axes.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axes.xaxis.set_major_formatter(PercentFormatter(1.0))
    axes.grid(axis="x", alpha=0.3)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncols=2, frameon=False)
    return figure


def _meetings_rate(bar: OrgBar) -> float | None:
    return bar.meetings_rate


def _study_rate(bar: OrgBar) -> float | None:
    return bar.study_rate


def render_report(data: ReportData) -> ReportCharts:
    """Every chart of the report: attendance (if the organisation met), then the pages of
    the organisations below (if it has any)."""
    charts = []
    names = {"org": data.org, "period": data.period}
    if data.meetings:
        count = len(data.meetings)
        caption = texts.CAPTION_ATTENDANCE.format(**names, span=data.span, count=count)
        filename = texts.FILE_ATTENDANCE.format(**names)
        charts.append(_image(functools.partial(attendance_figure, data), filename, caption))
    pages = data.below_pages
    for number, page in enumerate(pages, start=1):
        caption = texts.CAPTION_BELOW.format(**names, page=number, pages=len(pages))
        if not data.meetings and number == 1:
            caption = texts.CAPTION_NO_OWN.format(**names) + "\n" + caption
        if data.below_left_out and number == len(pages):
            caption += texts.CAPTION_LEFT_OUT.format(count=data.below_left_out)
        filename = texts.FILE_BELOW.format(**names, page=number)
        draw = functools.partial(below_figure, data, page, number, len(pages))
        charts.append(_image(draw, filename, caption))
    return ReportCharts(data.org, data.period, charts)
