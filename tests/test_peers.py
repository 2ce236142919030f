"""Peers aligned at Viet Nam's level and income (analysis.models.peers.peer_table), worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.models import peers


def _panel(rows):
    return pd.DataFrame(rows, columns=["entity", "entity_name", "year", "value"])


# R&D, % of GDP. Level 0.4, tolerance 10% (0.04):
#   AAA 0.2 (2000), 0.6 (2004), 1.0 (2010): crosses 0.4 half-way, 2002.0 (interpolated); 5 years on (2007)
#       0.6 + 3/6 x 0.4 = 0.8
#   BBB 0.41 (2000), 0.9 (2005): within tolerance at its first observation, 2000 (observed start); 2005: 0.9
#   CCC 2.0 (2000): already above the level; ZZZ: not in the data
GERD = _panel(
    [
        ("AAA", "A-land", 2000, 0.2),
        ("AAA", "A-land", 2004, 0.6),
        ("AAA", "A-land", 2010, 1.0),
        ("BBB", "B-land", 2000, 0.41),
        ("BBB", "B-land", 2005, 0.9),
        ("CCC", "C-land", 2000, 2.0),
        ("VNM", "Viet Nam", 2020, 0.4),
    ]
)
# GDP per person, USD. Income level 2,000: AAA reaches it in 2000 + (2000 - 1000) / 2000 x 10 = 2005.0;
# BBB starts above it (not aligned by income)
INCOME = _panel(
    [
        ("AAA", "A-land", 2000, 1000.0),
        ("AAA", "A-land", 2010, 3000.0),
        ("BBB", "B-land", 2000, 2500.0),
    ]
)


def test_peer_table_by_hand():
    fastest, level_paths, table, income_paths = peers.peer_table(
        GERD, INCOME, 0.4, 5, 2000.0, ["CCC", "ZZZ"], 2, tolerance=0.1
    )
    # fastest climbers 5 years after the crossing: BBB 0.9, AAA 0.8; Viet Nam is never a peer
    assert fastest["entity"].tolist() == ["BBB", "AAA"]
    assert fastest["share_after_pct"].tolist() == pytest.approx([0.9, 0.8])
    # named peers with data first, then the climbers, then the named peer not in the data
    t = table.set_index("entity")
    assert table["entity"].tolist() == ["CCC", "BBB", "AAA", "ZZZ"]
    assert t["group"].to_dict() == {
        "CCC": peers.GROUP_NAMED,
        "BBB": peers.GROUP_FAST,
        "AAA": peers.GROUP_FAST,
        "ZZZ": peers.GROUP_NAMED,
    }
    assert t.loc["AAA", "crossing_year"] == pytest.approx(2002.0) and t.loc["AAA", "how"] == peers.HOW_INTERPOLATED
    assert t.loc["BBB", "crossing_year"] == 2000.0 and t.loc["BBB", "how"] == peers.HOW_OBSERVED_START
    # CCC starts above the level: a code, with the first observation it is worded from (2000, 2.0 %)
    assert t.loc["CCC", "how"] == peers.HOW_ALREADY_ABOVE and pd.isna(t.loc["CCC", "crossing_year"])
    assert (t.loc["CCC", "first_year"], t.loc["CCC", "first_value"]) == (2000, 2.0)
    assert t.loc["ZZZ", "how"] == peers.HOW_NOT_FOUND
    # income at the crossing: the nearest observation (AAA 2002 -> 2000's 1,000; BBB 2000 -> 2,500)
    assert t.loc["AAA", "gdp_pc_usd_at_crossing"] == 1000.0 and t.loc["BBB", "gdp_pc_usd_at_crossing"] == 2500.0
    # aligned by income: AAA in 2005.0, its share then the survey within two years (2004: 0.6); BBB not aligned
    assert t.loc["AAA", "income_crossing_year"] == pytest.approx(2005.0)
    assert t.loc["AAA", "share_at_income_crossing_pct"] == 0.6
    assert pd.isna(t.loc["BBB", "income_crossing_year"]) and pd.isna(t.loc["BBB", "share_at_income_crossing_pct"])
    assert income_paths["entity"].unique().tolist() == ["AAA"]
    assert income_paths["years_from_start"].tolist() == pytest.approx([-5.0, -1.0, 5.0])
    # level paths from the year before the crossing on (AAA: 2001 on, so the 2004 and 2010 surveys)
    assert level_paths.loc[level_paths["entity"] == "AAA", "years_from_level"].tolist() == pytest.approx([2.0, 8.0])
