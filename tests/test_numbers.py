"""CSV numbers: fixed decimals per unit, no float noise, no scientific notation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.reports.numbers import decimals_for, round_for_csv, write_csv

NOISY = float(np.nextafter(476.3, 1000.0))  # the value tables/path.csv showed in issue 16


def test_decimals_follow_the_unit_in_the_column_name():
    assert decimals_for("gerd_vnd_bn") == 1
    assert decimals_for("R&D spending, bn VND") == 1
    assert decimals_for("gerd_usd_bn") == 3
    assert decimals_for("vnd_per_usd") == 1
    assert decimals_for("share_pct") == 4
    assert decimals_for("share, % of GDP") == 4
    assert decimals_for("rise_pp") == 4
    assert decimals_for("researchers_per_10k") == 2
    assert decimals_for("year") == 0
    assert decimals_for("something else") == 4
    assert decimals_for(("gdp", "vnd_bn")) == 1  # a MultiIndex column


def test_the_float_noise_of_issue_16_is_gone(tmp_path):
    # 476.3 bn VND one ulp off (as sums of shares produce it) prints as 476.30000000000007; 1 decimal -> 476.3.
    # GDP 17,266,123.456 bn VND was written by %.6g as 1.72661e+07; 1 decimal -> 17266123.5.
    df = pd.DataFrame(
        {
            "year": [2025.0, 2026.0],
            "gerd_vnd_bn": [NOISY, 17266123.456],
            "share_pct": [0.4312345678, np.nan],
            "label": ["a", "b"],
        }
    )
    assert repr(NOISY) == "476.30000000000007"  # the noise is real
    path = tmp_path / "t.csv"
    write_csv(df, path, index=False)
    assert path.read_text() == "year,gerd_vnd_bn,share_pct,label\n2025,476.3,0.4312,a\n2026,17266123.5,,b\n"


def test_decimals_are_fixed_within_a_column():
    # 514 bn USD and 552.7774 bn USD: 3 decimals each, so the column lines up as it is read
    out = round_for_csv(pd.DataFrame({"gdp_usd_bn": [514.0, 552.7774], "gdp_vnd_bn": [12847600.0, 14093174.84]}))
    assert out.to_csv(index=False) == "gdp_usd_bn,gdp_vnd_bn\n514.000,12847600.0\n552.777,14093174.8\n"


def test_a_named_index_is_written_as_the_first_column(tmp_path):
    df = pd.DataFrame({"gerd_vnd_bn": [1.25]}, index=pd.Index(["linear"], name="shape"))
    write_csv(df, tmp_path / "t.csv", index=True)
    assert (tmp_path / "t.csv").read_text() == "shape,gerd_vnd_bn\nlinear,1.2\n"  # 1.25 -> 1.2 (round half even)


def test_whole_number_columns_are_integers_and_gaps_stay_empty():
    out = round_for_csv(pd.DataFrame({"entity": ["a", "b", "c"], "rank": [3.0, np.nan, 41.0]}))
    assert out["rank"].dtype == "Int64"
    assert out.to_csv(index=False) == "entity,rank\na,3\nb,\nc,41\n"


@given(
    st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), min_size=1, max_size=20),
    st.sampled_from(["gdp_vnd_bn", "share_pct", "gerd_usd_bn", "other"]),
)
def test_rounding_moves_no_value_by_more_than_half_a_last_decimal_and_never_writes_an_exponent(values, column):
    out = round_for_csv(pd.DataFrame({column: values}))
    d = decimals_for(column)
    for before, after in zip(values, out[column], strict=True):
        assert math.isclose(float(after), before, abs_tol=0.5 * 10**-d + 1e-6 * abs(before))
    assert "e+" not in out.to_csv(index=False) and "e-" not in out.to_csv(index=False)


def test_the_sweep_csv_has_fixed_decimals_and_no_exponents(tmp_path, capsys):
    from analysis import cli

    out = tmp_path / "s.csv"
    assert cli.main(["sweep", "--grid", "real_gdp_growth_pct=6,6.5", "--output", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str)
    text = out.read_text()
    assert "e+" not in text and "e-0" not in text  # GDP was written 1.72661e+07 (issue 16)
    for col in frame.columns:
        if frame[col].str.contains(r"^-?\d+\.\d+$").all():  # a float column: one number of decimals each
            widths = frame[col].str.split(".").str[1].str.len()
            assert widths.nunique() == 1 and widths.iloc[0] == decimals_for(col), col
    money = [c for c in frame.columns if c.endswith("_vnd_bn")]
    assert money and all(frame[c].str.contains(r"^-?\d+(?:\.\d)?$").all() for c in money)
