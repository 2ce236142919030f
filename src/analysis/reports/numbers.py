"""Numbers as CSV files show them: fixed decimals per unit, no float noise, no ``1.7e+07``.

A column's unit is read from its name (``gdp_vnd_bn``, ``share_pct``, "bn VND", "% of GDP"): a year at
which a series crossed a level 1 decimal, billion/trillion VND 1, billion USD 3, VND per USD 1, shares,
rates and points 4, per 10,000 people and scores 2, years, ranks and counts 0, anything else 4.
Whole-number float columns are written without ``.0``; missing values stay empty cells. Values are rounded by
:func:`analysis.i18n.rounded`, the rule the pages use, so a CSV and its page agree to the last digit.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.i18n import rounded

DEFAULT_DECIMALS = 4
_RULES: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), decimals)
    for pattern, decimals in (
        (r"^year at ", 1),  # a fractional year where a series crossed a level (rd_feasibility's peers)
        (r"vnd_per_usd|vnd per usd|per usd", 1),
        (r"usd_bn|bn usd|billion usd|usd, bn|bn, usd|usd bn|million usd|usd_mn", 3),
        (r"vnd_bn|bn vnd|billion vnd|vnd, bn|trillion|vnd_tn|tn vnd|vnd_mn|vnd bn", 1),
        (r"pct|%|percent|_pp\b|\bpp\b|points|_rate\b|rate$|share|ratio|fraction|elasticity", 4),
        (r"per_10k|per 10,000|per 10k|score", 2),
        (r"\byear\b|^year|_year$|rank|count|editions|number|\bn_|^n$", 0),
    )
)


def decimals_for(column: object) -> int:
    """Decimals a CSV keeps for ``column`` (its name tells the unit; see the module)."""
    name = " ".join(str(c) for c in column) if isinstance(column, tuple) else str(column)
    for pattern, decimals in _RULES:
        if pattern.search(name):
            return decimals
    return DEFAULT_DECIMALS


def _float_cell(v: object, decimals: int) -> object:
    """A float cell of a mixed column as text with ``decimals`` (whole numbers without ``.0``)."""
    if not isinstance(v, float) or isinstance(v, bool):
        return v
    if not np.isfinite(v):
        return pd.NA
    r = rounded(v, decimals)
    return str(int(r)) if r.is_integer() and abs(r) < 2**53 else f"{r:.{decimals}f}"


def round_for_csv(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` for writing: each float column (and each float cell of a mixed column) as text with its
    unit's fixed decimals, whole-number columns as integers, missing values as ``pd.NA``.
    """
    out = df.copy()
    for i, col in enumerate(out.columns):
        values, decimals = out.iloc[:, i], decimals_for(col)
        if pd.api.types.is_object_dtype(values.dtype):  # text beside numbers: each float cell fixed as above
            out.isetitem(i, values.map(lambda v, d=decimals: _float_cell(v, d)))
        elif pd.api.types.is_float_dtype(values.dtype):
            near = values.map(lambda v, d=decimals: rounded(v, d), na_action="ignore")  # not numpy's round
            near = near.to_numpy(dtype=float, na_value=np.nan)
            present = near[~np.isnan(near)]
            if len(present) and np.abs(present).max() < 2**53 and (present == np.round(present)).all():  # whole
                out.isetitem(i, pd.Series(near, index=values.index).astype("Int64"))
            else:
                text = [pd.NA if np.isnan(v) else f"{v:.{decimals}f}" for v in near.tolist()]
                out.isetitem(i, pd.Series(text, index=values.index, dtype=object))
    return out


def write_csv(df: pd.DataFrame, path: Path, *, index: bool, bom: bool = False, header: list[str] | None = None) -> None:
    """Write ``df`` as UTF-8 CSV with fixed decimals per unit (``index``: write the index as columns).

    ``bom``: start with a byte-order mark (the Vietnamese edition's files, for spreadsheet programs);
    ``header``: the header row to write instead of the column names (the decimals follow the names).
    """
    if index:
        df = df.reset_index()
    out = round_for_csv(df)
    if header is not None and len(header) == len(out.columns):
        out.columns = header
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8-sig" if bom else "utf-8")
