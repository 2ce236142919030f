"""Peers: R&D-intensity paths of other economies, aligned at the year they were where Viet Nam starts.

An economy is aligned at the first time its GERD share reached Viet Nam's starting share from
below. The crossing year is interpolated linearly between the two observations that bracket it
(a fractional year, an estimate between surveys); if the first observation is already within
``tolerance`` (relative) of the level, that year is the crossing. An economy whose first
observation is above the level cannot be aligned by level: it is reported with the reason
(Korea's WDI series starts in 1996 at 2.2%), never placed on the chart by guesswork.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

# How a peer was aligned ("how" in the peer table and results.json), a code with its numbers in the table's
# first_year/first_value and last_year/last_value columns; the report words it (rd_feasibility.how_text).
HOW_NO_DATA, HOW_OBSERVED_START, HOW_INTERPOLATED = "no_data", "observed_start", "interpolated"
HOW_ALREADY_ABOVE, HOW_NEVER_REACHED, HOW_NOT_FOUND = "already_above", "never_reached", "not_found"


GROUP_NAMED, GROUP_FAST = "named peer", "fast climber"  # a peer's group: named by the parameter, or found


def peer_codes(text: str) -> list[str]:
    """The codes in ``text``, a comma-separated list such as the ``peer_economies`` parameter."""
    return [c.strip() for c in text.split(",") if c.strip()]


def crossing_year(
    years: np.ndarray, values: np.ndarray, level: float, tolerance: float = 0.1
) -> tuple[float | None, str]:
    """First (fractional) year an observed series reached ``level`` from below, and how it was found.

    Returns (year, how) with how one of 'observed_start' (first observation within tolerance),
    'interpolated' (between two observations), or (None, code) when there is no crossing: 'no_data',
    'already_above' (the first observation is above the level) or 'never_reached'.
    """
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return None, HOW_NO_DATA
    if abs(values[0] - level) <= tolerance * level:
        return float(years[0]), HOW_OBSERVED_START
    if values[0] > level:
        return None, HOW_ALREADY_ABOVE
    for i in range(1, len(values)):
        if values[i] >= level:
            y0, y1, v0, v1 = years[i - 1], years[i], values[i - 1], values[i]
            return float(y0 + (level - v0) / (v1 - v0) * (y1 - y0)), HOW_INTERPOLATED
    return None, HOW_NEVER_REACHED


def align(
    panel: pd.DataFrame, entities: list[str], level: float, tolerance: float = 0.1, horizons: tuple[int, ...] = (5, 10)
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Align each economy's observed series at its crossing of ``level``.

    Returns (paths, table). ``paths``: entity, entity_name, year, value, years_from_level (year minus
    the crossing year; observations from the crossing on, plus the one before). ``table``: one row per
    economy asked for: crossing year (None where it cannot be aligned), how (a code of :func:`crossing_year`),
    the first and last observation (first_year, first_value, last_year, last_value), the share ``k`` years
    later for each ``k`` of ``horizons`` (column ``share_after_{k}y_pct``, interpolated between
    observations when needed).
    """
    rows, parts = [], []
    for entity in entities:
        g = panel[panel["entity"] == entity].sort_values("year")
        name = str(g["entity_name"].iloc[0]) if len(g) else entity
        yr, how = crossing_year(g["year"].to_numpy(), g["value"].to_numpy(), level, tolerance)
        row = {
            "entity": entity,
            "entity_name": name,
            "crossing_year": yr,
            "how": how,
            "first_year": int(g["year"].min()) if len(g) else None,
            "last_year": int(g["year"].max()) if len(g) else None,
            "first_value": float(g["value"].iloc[0]) if len(g) else None,
            "last_value": float(g["value"].iloc[-1]) if len(g) else None,
        }
        if yr is not None:
            gg = g[g["year"] >= np.floor(yr) - (0 if how == HOW_OBSERVED_START else 1)]
            parts.append(
                gg.assign(years_from_level=gg["year"] - yr)[
                    ["entity", "entity_name", "year", "value", "years_from_level"]
                ]
            )
        for k in horizons:  # None where the economy is not aligned or its series stops before
            reached = yr is not None and g["year"].max() >= yr + k
            row[f"share_after_{k}y_pct"] = float(np.interp(yr + k, g["year"], g["value"])) if reached else None
        rows.append(row)
    cols = ["entity", "entity_name", "year", "value", "years_from_level"]
    paths = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    return paths, pd.DataFrame(rows)


def fastest_from_level(
    panel: pd.DataFrame, level: float, years: int, exclude: set[str], tolerance: float = 0.1
) -> pd.DataFrame:
    """Economies that crossed ``level`` from below, ranked by their share ``years`` after the crossing
    (interpolated between observations), highest first. Economies without data that far are left out.
    Columns: entity, entity_name, crossing_year, share_after_pct."""
    rows = []
    for entity, g in panel.groupby("entity"):
        if entity in exclude:
            continue
        g = g.sort_values("year")
        yr, _ = crossing_year(g["year"].to_numpy(), g["value"].to_numpy(), level, tolerance)
        if yr is None or g["year"].max() < yr + years:
            continue
        rows.append((entity, g["entity_name"].iloc[0], yr, float(np.interp(yr + years, g["year"], g["value"]))))
    out = pd.DataFrame(rows, columns=["entity", "entity_name", "crossing_year", "share_after_pct"])
    return out.sort_values("share_after_pct", ascending=False).reset_index(drop=True)


def peer_list(fixed: list[str], fastest: pd.DataFrame, n_fastest: int, available: set[str]) -> list[str]:
    """The fixed peers (those with data) followed by up to ``n_fastest`` of the fastest climbers
    (``fastest`` ordered best first, column ``entity``) not already listed."""
    out = [e for e in fixed if e in available]
    return out + [e for e in fastest["entity"] if e not in out and e in available][:n_fastest]


def paths_from(panel: pd.DataFrame, crossings: dict[str, float]) -> pd.DataFrame:
    """Each economy's observed series with ``years_from_start`` = year minus its given start year
    (for example the year it reached a given income); economies without a start are left out."""
    parts = []
    for entity, start in crossings.items():
        if start is None or pd.isna(start):
            continue
        g = panel[panel["entity"] == entity]
        parts.append(
            g.assign(years_from_start=g["year"] - float(start))[
                ["entity", "entity_name", "year", "value", "years_from_start"]
            ]
        )
    cols = ["entity", "entity_name", "year", "value", "years_from_start"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


# the units (the API's) of peer_table's table, by column (its years: by their names' ending; the shares k years
# after the crossing: by SHARE_AFTER, :func:`table_units`)
TABLE_UNITS = {
    "first_value": "% of GDP",
    "last_value": "% of GDP",
    "gdp_pc_usd_at_crossing": "current USD per person",
    "share_at_income_crossing_pct": "% of GDP",
}
SHARE_AFTER = re.compile(r"share_after_\d+y_pct")  # align's share_after_{k}y_pct, k after the window


def table_units(columns: Iterable[str]) -> dict[str, str]:
    """The units (the API's) of peer_table's table with ``columns``, whatever its window: :data:`TABLE_UNITS`,
    and % of GDP for each share after the crossing (:data:`SHARE_AFTER`)."""
    return TABLE_UNITS | {c: "% of GDP" for c in columns if SHARE_AFTER.fullmatch(c)}


def peer_table(
    gerd: pd.DataFrame,
    income: pd.DataFrame,
    level: float,
    window: int,
    income_level: float,
    named: list[str],
    n_fastest: int,
    tolerance: float = 0.1,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The ``named`` peers and the ``n_fastest`` fastest climbers from ``level`` (% of GDP), aligned at that
    level and at the income ``income_level`` (GDP per person, USD).

    Parameters
    ----------
    gerd, income : pandas.DataFrame
        Country panels (entity, entity_name, year, value) of GERD % of GDP and GDP per person.
    window : int
        Years after the crossing at which the fastest climbers are ranked; the table gives every peer's
        share ``window`` and ``2 * window`` years after its crossing.
    tolerance : float
        A first observation within this fraction of ``level`` counts as at it.

    Returns
    -------
    fastest, level_paths, table, income_paths : pandas.DataFrame
        The climbers ranked (:func:`fastest_from_level`), the paths aligned at ``level``
        (:func:`align`), one row per peer (group, how, income at the crossing, the year income reached
        ``income_level`` and the share then: the nearest survey within two years) and the paths aligned
        at that income year (:func:`paths_from`).
    """
    fastest = fastest_from_level(gerd, level, window, {"VNM"}, tolerance)
    known = set(gerd["entity"])
    paths, table = align(
        gerd, peer_list(named, fastest, n_fastest, known - {"VNM"}), level, tolerance, (window, 2 * window)
    )
    missing = [{"entity": e, "entity_name": e, "crossing_year": None, "how": HOW_NOT_FOUND} for e in named]
    missing = [r for r in missing if r["entity"] not in known]
    if missing:
        table = pd.concat([table, pd.DataFrame(missing)], ignore_index=True)
    table["group"] = np.where(table["entity"].isin(named), GROUP_NAMED, GROUP_FAST)

    def nearest(panel: pd.DataFrame, entity: str, year: float | None, within: float) -> float | None:
        g = panel[panel["entity"] == entity]
        g = g[(g["year"] - year).abs() <= within] if year is not None and not pd.isna(year) else g.iloc[0:0]
        return float(g.loc[(g["year"] - year).abs().idxmin(), "value"]) if len(g) else None

    table["gdp_pc_usd_at_crossing"] = [nearest(income, r.entity, r.crossing_year, np.inf) for r in table.itertuples()]
    # the year each economy's GDP per person reached income_level, and its R&D intensity then
    inc_year = []
    for r in table.itertuples():
        g = income[income["entity"] == r.entity].sort_values("year")
        inc_year.append(crossing_year(g["year"].to_numpy(), g["value"].to_numpy(), income_level, 0.0)[0])
    table["income_crossing_year"] = inc_year
    income_paths = paths_from(gerd, dict(zip(table["entity"], inc_year, strict=True)))
    table["share_at_income_crossing_pct"] = [
        nearest(gerd, e, y, 2) for e, y in zip(table["entity"], inc_year, strict=True)
    ]
    return fastest, paths, table, income_paths
