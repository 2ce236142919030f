"""Words for readers: plurals, display names, the country's name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.models.path_core import PATH_SHAPES
from analysis.reports.words import COUNTRY, display_name, display_names, join_words, plural, plural_word


@pytest.mark.parametrize(
    ("n", "word", "many", "expected"),
    [
        (1, "entity", None, "1 entity"),
        (0, "entity", None, "0 entities"),
        (3, "year", None, "3 years"),
        (1, "year", None, "1 year"),
        (2, "economy", None, "2 economies"),
        (2, "index", None, "2 indices"),
        (2, "box", None, "2 boxes"),
        (2, "day", None, "2 days"),  # vowel before y: regular
        (1204, "scenario", None, "1,204 scenarios"),
        (1.0, "year", None, "1 year"),  # a whole float counts as a whole number
        (2.5, "year", None, "2.5 years"),
        (2, "person", None, "2 people"),
        (2, "criterion", "criteria", "2 criteria"),
        (1, "criterion", "criteria", "1 criterion"),
    ],
)
def test_plural_known_forms(n, word, many, expected):
    assert plural(n, word, many) == expected


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["year", "entity", "scenario", "economy"]))
def test_plural_is_singular_only_for_one_and_never_has_a_bracketed_s(n, word):
    text = plural(n, word)
    assert "(s)" not in text and "'" not in text
    assert text.endswith(" " + word) == (n == 1)
    assert text.split(" ")[0].replace(",", "") == str(n)


def test_plural_word_without_the_count():
    assert plural_word(1, "report") == "report" and plural_word(5, "report") == "reports"


def test_every_path_shape_has_a_display_name_without_code_spelling():
    names = display_names(PATH_SHAPES)
    assert "back-loaded" in names
    assert all("_" not in n for n in names)


def test_index_codes_show_the_index_name_and_unknown_codes_lose_underscores():
    assert display_name("gii") == "WIPO Global Innovation Index"
    assert display_name("state_gerd_share") == "state gerd share"


def test_join_words():
    assert join_words([]) == "" and join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b" and join_words(["a", "b", "c"], "or") == "a, b or c"


def test_the_country_is_spelled_as_the_un_spells_it():
    assert COUNTRY == "Viet Nam"


def test_house_spelling_changes_the_name_only():
    from analysis.reports.words import house_spelling

    assert house_spelling("Vietnam") == "Viet Nam"
    assert house_spelling("produce in Vietnam.") == "produce in Viet Nam."
    for kept in ("Vietnamese universities", "PetroVietnam", "VietnamPlus", "Viet Nam"):
        assert house_spelling(kept) == kept
    assert house_spelling(None) is None


def test_number_gives_one_plain_format_for_every_size():
    from analysis.reports.words import number

    # the structural diagnostics printed AIC 6.64e+03 beside 6.6e+03 and a literal nan (issue 16)
    assert number(6640.2) == "6,640" and number(6601.0) == "6,601"
    assert number(float("nan")) == "" and number(None) == ""
    assert number(0.0524) == "0.052" and number(-0.376) == "-0.376" and number(44.25) == "44.2"
    assert number("1997-2023") == "1997-2023" and number(2382) == "2,382"


def test_every_projection_method_has_words():
    from analysis.models import backtest, targets
    from analysis.reports import words

    for code in list(backtest.METHODS) + list(targets.METHODS):
        assert code in words._DISPLAY and "_" not in display_name(code), code  # chosen words, not a fallback
