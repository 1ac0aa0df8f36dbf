"""PNG charts for the daily post and ``/streak ... chart``.

Each call builds its own :class:`matplotlib.figure.Figure` on a ``FigureCanvasAgg``
(the headless Agg backend) and never touches ``pyplot``'s global state, so charts can
be drawn from several threads at once.

Definitions
-----------
* YTD performance on session ``t`` of year Y: ``100 * (C_t / C_base - 1)`` with
  ``C_base`` the last close of year Y-1 (plotted as 0% on that date).
* Relative line of A vs B: ``100 * (A_t / B_t) / (A_0 / B_0)`` over the sessions both
  have, ``0`` being the first of the last :data:`RELATIVE_SESSIONS` up to ``as_of``. It
  rises on the sessions A outperforms B.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.domain.symbols import MAIN_INDICES
from bot.render.format import fmt_date

__all__ = ["RECORD_SESSIONS", "RELATIVE_SESSIONS", "records_chart_png", "relative_chart_png", "ytd_chart_png"]

RELATIVE_SESSIONS = 252
FIGSIZE = (8.0, 4.5)  # inches: 1200 x 675 px at DPI, legible as a Slack thumbnail
DPI = 150

_NAMES = {
    "^GSPC": "S&P 500",
    "^NDX": "Nasdaq 100",
    "^IXIC": "Nasdaq Composite",
    "^DJI": "Dow",
    "^RUT": "Russell 2000",
}
_COLORS = {
    "^GSPC": "#1f4e9c",
    "^NDX": "#7b3fa0",
    "^IXIC": "#d1495b",
    "^DJI": "#2a9d8f",
    "^RUT": "#e09f3e",
}


def _new_figure() -> tuple[Figure, FigureCanvasAgg]:
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    canvas = FigureCanvasAgg(fig)
    return fig, canvas


def _png(fig: Figure, canvas: FigureCanvasAgg) -> bytes:
    buf = io.BytesIO()
    canvas.print_png(buf)  # type: ignore[no-untyped-call]
    fig.clear()
    return buf.getvalue()


def _style(ax: Axes) -> None:
    ax.grid(True, color="#dddddd", linewidth=0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=11)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _ytd_series(s: pd.Series, session: pd.Timestamp) -> pd.Series | None:
    s = s.dropna()
    idx = pd.DatetimeIndex(s.index)
    before = s[idx.year < session.year]
    if before.empty:
        return None
    in_year = s[(idx.year == session.year) & (idx <= session)]
    if in_year.empty:
        return None
    base = float(before.iloc[-1])
    path = pd.concat([before.iloc[-1:], in_year])
    out: pd.Series = (path / base - 1.0) * 100.0
    return out


def ytd_chart_png(closes: Mapping[str, pd.Series], session: date) -> bytes:
    """Year-to-date performance (%) of the main indices present, up to ``session``.

    One labelled line per main index that has a close before the year and in it; the
    last value is written at the end of each line.

    Raises
    ------
    ValueError
        If no main index has data for the year of ``session``.
    """
    ts = pd.Timestamp(session).normalize()
    lines: list[tuple[str, pd.Series]] = []
    for sym in MAIN_INDICES:
        if sym in closes:
            ytd = _ytd_series(closes[sym], ts)
            if ytd is not None:
                lines.append((sym, ytd))
    if not lines:
        raise ValueError(f"No main index has year-to-date data for {ts.year} up to {fmt_date(ts)}.")
    last = max(y.index[-1] for _, y in lines)

    fig, canvas = _new_figure()
    ax = fig.add_subplot()
    _style(ax)
    ax.axhline(0.0, color="#888888", linewidth=1.0)
    # Highest YTD first in the legend; end labels nudged apart so they stay legible.
    lines.sort(key=lambda kv: -float(kv[1].iloc[-1]))
    ends: list[float] = []
    for sym, y in lines:
        label = f"{_NAMES.get(sym, sym)} {float(y.iloc[-1]):+.1f}%"
        ax.plot(
            pd.DatetimeIndex(y.index).to_pydatetime(),
            y.to_numpy(dtype=np.float64),
            color=_COLORS.get(sym),
            linewidth=2.2,
            label=label,
        )
        ends.append(float(y.iloc[-1]))
    # End labels, highest first, pushed down where they would overlap the one above.
    values = np.concatenate([y.to_numpy(dtype=np.float64) for _, y in lines])
    gap = max(float(np.ptp(values)), 1.0) * 0.07
    x_text = (last + pd.Timedelta(days=2)).to_pydatetime()
    prev: float | None = None
    for (sym, _), v in zip(lines, ends, strict=True):
        pos = v if prev is None else min(v, prev - gap)
        prev = pos
        ax.text(
            x_text,
            pos,
            f"{v:+.1f}%",
            va="center",
            fontsize=11,
            fontweight="bold",
            color=_COLORS.get(sym, "black"),
        )
    ax.set_title(f"Year to date through {fmt_date(last)}", fontsize=15, loc="left")
    ax.set_ylabel("% change", fontsize=12)
    ax.yaxis.set_major_formatter("{x:+.0f}%")
    ax.margins(x=0.10)
    ax.legend(loc="upper left", fontsize=11, frameon=False)
    return _png(fig, canvas)


def relative_chart_png(
    a: pd.Series,
    b: pd.Series,
    name_a: str,
    name_b: str,
    streak_start: date | None,
    as_of: date,
) -> bytes:
    """A relative to B (ratio A/B rebased to 100) over the last year, streak shaded.

    Parameters
    ----------
    a, b : close series indexed by session date
    name_a, name_b : display names for the title
    streak_start : first session of the current streak, or ``None`` (nothing shaded).
        The shading starts at the close before it, where the streak's returns start.
    as_of : last session plotted

    Raises
    ------
    ValueError
        If A and B share fewer than two sessions up to ``as_of``.
    """
    end = pd.Timestamp(as_of).normalize()
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1, join="inner").dropna()
    both = both[pd.DatetimeIndex(both.index) <= end].sort_index().iloc[-RELATIVE_SESSIONS:]
    if len(both) < 2:
        raise ValueError(f"{name_a} and {name_b} share too few sessions up to {fmt_date(end)}.")
    ratio = both["a"] / both["b"]
    rel = ratio / float(ratio.iloc[0]) * 100.0
    dates = pd.DatetimeIndex(rel.index)

    fig, canvas = _new_figure()
    ax = fig.add_subplot()
    _style(ax)
    ax.axhline(100.0, color="#888888", linewidth=1.0)
    ax.plot(dates.to_pydatetime(), rel.to_numpy(dtype=np.float64), color="#1f4e9c", linewidth=2.0)
    if streak_start is not None:
        start = pd.Timestamp(streak_start).normalize()
        pos = int(dates.searchsorted(start))
        if pos < len(dates):
            lo = dates[max(pos - 1, 0)]
            ax.axvspan(
                lo.to_pydatetime(),  # type: ignore[arg-type]
                dates[-1].to_pydatetime(),  # type: ignore[arg-type]
                color="#e09f3e",
                alpha=0.25,
                label=f"current streak (since {fmt_date(start)})",
            )
            ax.legend(loc="upper left", fontsize=11, frameon=False)
    ax.set_title(
        f"{name_a} relative to {name_b}, through {fmt_date(dates[-1])}", fontsize=14, loc="left"
    )
    ax.set_ylabel("Ratio, rebased to 100", fontsize=12)
    ax.set_xlabel(
        f"Rebased to 100 on {fmt_date(dates[0])} · rises when {name_a} outperforms",
        fontsize=10,
        color="#555555",
    )
    ax.annotate(
        f"{float(rel.iloc[-1]):.1f}",
        xy=(dates[-1].to_pydatetime(), float(rel.iloc[-1])),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=11,
        fontweight="bold",
        color="#1f4e9c",
    )
    ax.margins(x=0.06)
    return _png(fig, canvas)


RECORD_SESSIONS = 504  # two years of sessions on the records chart


def records_chart_png(closes: pd.Series, name: str, as_of: date) -> bytes:
    """The closes of the last two years up to ``as_of``, each record close marked.

    A record close is a close strictly above every earlier close of the *whole* series
    (``closes`` must be the full history; only the plotted window is drawn).

    Raises
    ------
    ValueError
        If fewer than two closes are on or before ``as_of``.
    """
    end = pd.Timestamp(as_of).normalize()
    full = closes[pd.DatetimeIndex(closes.index) <= end].sort_index()
    if len(full) < 2:
        raise ValueError(f"{name} has too few closes up to {fmt_date(end)}.")
    values = full.to_numpy(dtype=np.float64)
    record = np.zeros(values.size, dtype=bool)
    record[1:] = values[1:] > np.maximum.accumulate(values)[:-1]
    window = slice(max(values.size - RECORD_SESSIONS, 0), values.size)
    dates = pd.DatetimeIndex(full.index)[window]
    shown, marks = values[window], record[window]

    fig, canvas = _new_figure()
    ax = fig.add_subplot()
    _style(ax)
    ax.plot(dates.to_pydatetime(), shown, color="#1f4e9c", linewidth=1.8)
    ax.scatter(dates[marks].to_pydatetime(), shown[marks], s=14, color="#d1495b", zorder=3,
               label=f"record closes ({int(marks.sum())} in this window)")
    ax.legend(loc="upper left", fontsize=11, frameon=False)
    ax.set_title(f"{name}: closes and record closes, through {fmt_date(dates[-1])}", fontsize=14, loc="left")
    ax.set_ylabel("Close", fontsize=12)
    ax.margins(x=0.04)
    return _png(fig, canvas)
