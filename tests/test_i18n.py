"""The language layer: formats computed by hand, catalogue lookups, the extraction and the checks that
guard translations (placeholders, markup, f-strings passed to ``_``)."""

from __future__ import annotations

import ast
import datetime as dt
import io
import math
from pathlib import Path

import nbformat
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from analysis import i18n, paths
from analysis.errors import InputError
from analysis.reports import messages

ROOT = paths.PROJECT_ROOT


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use("en")


# -- formats: known answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "call", "expected"),
    [
        # English: as the reports always wrote them
        ("en", lambda: i18n.fmt.pct(0.4123, 2), "0.41%"),
        ("en", lambda: i18n.fmt.num(408118.4, 0), "408,118"),
        ("en", lambda: i18n.fmt.num(1234.56, 1), "1,234.6"),
        ("en", lambda: i18n.fmt.vnd_bn(408118.4), "408,118 bn VND"),
        ("en", lambda: i18n.fmt.date(dt.date(2024, 12, 22)), "22 December 2024"),
        ("en", lambda: i18n.fmt.year(2030), "2030"),
        # Vietnamese: decimal comma, dot thousands separator (CLDR vi), money in tỷ đồng
        ("vi", lambda: i18n.fmt.pct(0.4123, 2), "0,41%"),
        ("vi", lambda: i18n.fmt.num(408118.4, 0), "408.118"),
        ("vi", lambda: i18n.fmt.num(1234.56, 1), "1.234,6"),
        ("vi", lambda: i18n.fmt.vnd_bn(408118.4), "408.118 tỷ đồng"),
        # 408,118 bn / 1,000 = 408.1 -> 408 nghìn tỷ đồng
        ("vi", lambda: i18n.fmt.vnd_tn(408118.4), "408 nghìn tỷ đồng"),
        ("vi", lambda: i18n.fmt.usd_bn(16.24), "16,2 tỷ USD"),
        ("vi", lambda: i18n.fmt.pp(1.5912), "1,59 điểm phần trăm"),
        ("vi", lambda: i18n.fmt.signed(-0.4, 1), "\u22120,4"),
        ("vi", lambda: i18n.fmt.date(dt.date(2024, 12, 22)), "22/12/2024"),
        ("vi", lambda: i18n.fmt.date("2025-01-05"), "05/01/2025"),
        ("vi", lambda: i18n.fmt.year(2030), "2030"),
    ],
)
def test_numbers_money_and_dates_are_written_the_language_s_way(lang, call, expected):
    i18n.use(lang)
    assert call() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.5", "0,5"), ("1,000", "1.000"), ("\u22122.25", "\u22122,25"), ("12.5%", "12,5%"), ("Hà Nội", "Hà Nội")],
)
def test_tick_labels_swap_separators_only_when_they_are_numbers(text, expected):
    i18n.use("vi")
    assert i18n.fmt.localize_number_text(text) == expected
    i18n.use("en")
    assert i18n.fmt.localize_number_text(text) == text


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=3))
@example(x=-0.0004, decimals=3)  # rounds to zero: '0.000' in both, never '-0.000'
@example(x=-999999999.9995, decimals=3)  # rounds up a digit: '-1,000,000,000.000' / '-1.000.000.000,000'
def test_a_vietnamese_number_reads_back_to_the_english_one(x, decimals):
    """Property: the two editions show the same number; only the separators differ."""
    with i18n.language("en"):
        en = i18n.fmt.num(x, decimals)
    with i18n.language("vi"):
        vi = i18n.fmt.num(x, decimals)
    assert vi.translate(str.maketrans({",": ".", ".": ","})) == en


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (40.45, 1, "40.5"),  # stored as 40.4500000000000028...: above the tie (numpy's round gives 40.4)
        (2.675, 2, "2.67"),  # stored as 2.67499999999999982...: below it
        (0.125, 2, "0.12"),  # an exact tie: to even
        (0.375, 2, "0.38"),
        (-0.04, 1, "0.0"),  # no negative zero
        (17266123.456, 1, "17266123.5"),  # never grouped, never an exponent
        (1e-7, 4, "0.0000"),
    ],
)
def test_the_one_rounding_rule_worked_by_hand(x, decimals, expected):
    assert i18n.fixed(x, decimals) == expected
    assert i18n.rounded(x, decimals) == float(expected)
    with i18n.language("en"):
        assert i18n.fmt.num(x, decimals).replace(",", "") == expected


@pytest.mark.parametrize(
    ("x", "figures", "en", "vi"),
    [
        (2.0, 6, "2", "2"),  # as the user gave it: no trailing zeros
        (0.41456, 6, "0.41456", "0,41456"),
        (0.414563, 3, "0.415", "0,415"),
        (1234567.0, 6, "1,234,570", "1.234.570"),  # Python's .6g: 1.23457e+06
        (123456.7, 3, "123,000", "123.000"),  # .3g: 1.23e+05
        (0.00004, 6, "0.00004", "0,00004"),  # .6g: 4e-05
        (2030.0, 6, "2030", "2030"),  # four digits are not grouped (a year as given)
        (1234.5, 6, "1234.5", "1234,5"),
        (9.9996, 3, "10", "10"),  # rounds up to one more digit before the point
        (0.125, 2, "0.12", "0,12"),  # the one rounding rule: an exact tie to even
        (40.45, 3, "40.5", "40,5"),  # stored as 40.4500000000000028...: above the tie
        (-0.5, 3, "-0.5", "-0,5"),
        (float("nan"), 3, "–", "–"),
    ],
)
def test_significant_figures_worked_by_hand(x, figures, en, vi):
    with i18n.language("en"):
        assert i18n.fmt.sig(x, figures) == en
        assert i18n.Text("{x:sig." + str(figures) + "}").format(x=x) == en
    with i18n.language("vi"):
        assert i18n.fmt.sig(x, figures) == vi


def test_a_signed_significant_figure_keeps_python_s_plus():
    assert [i18n.fmt.sig(v, 3, sign=True) for v in (0.1234, 0.0, -2.5)] == ["+0.123", "+0", "-2.5"]


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=1, max_value=8))
def test_significant_figures_are_python_s_g_without_its_exponent(x, figures):
    """Property: where Python's ``.Ng`` writes no exponent, ``sig`` writes its digits (grouped from 10,000);
    it never writes an exponent; it reads back to :func:`i18n.rounded` at the decimals the figures come to; and
    the Vietnamese edition differs only in its separators."""
    with i18n.language("en"):
        en = i18n.fmt.sig(x, figures)
    with i18n.language("vi"):
        vi = i18n.fmt.sig(x, figures)
    assert "e" not in en and vi.translate(str.maketrans({",": ".", ".": ","})) == en
    python = format(x + 0.0, f".{figures}g")  # + 0.0: no negative zero
    if "e" not in python:
        assert en.replace(",", "") == python
    if x:
        decimals = figures - 1 - math.floor(math.log10(abs(x)))
        assert float(en.replace(",", "")) == pytest.approx(i18n.rounded(x, decimals), rel=1e-12, abs=1e-300)


def test_an_unknown_language_is_refused_naming_what_is_allowed():
    with pytest.raises(i18n.LanguageError, match="'fr'.*allowed: en, vi"):
        i18n.use("fr")
    assert i18n.current() == "en"


def test_the_lang_parameter_is_refused_before_a_kernel_starts(tmp_path, monkeypatch, capsys):
    import papermill as pm

    from analysis import cli

    def boom(*a, **k):  # pragma: no cover - reaching this is the failure
        raise AssertionError("a kernel was started for an unknown language")

    monkeypatch.setattr(pm, "execute_notebook", boom)
    out = tmp_path / "never"
    assert cli.main(["run", "rd_paths", "-p", "lang", "fr", "--output-dir", str(out)]) == 2
    err = capsys.readouterr().err
    assert "lang" in err and "'vi'" in err
    assert not out.exists()


def test_country_names_come_from_cldr():
    assert i18n.country("KOR", "Korea, Rep.") == "Korea, Rep."
    i18n.use("vi")
    assert i18n.country("KOR", "Korea, Rep.") == "Hàn Quốc"
    assert i18n.country("VNM", "Viet Nam") == "Việt Nam"


# -- catalogue mechanics on a throw-away catalogue ----------------------------------------------------


def _write_po(path: Path, entries: list[tuple[str, str]], fuzzy: tuple[str, ...] = ()) -> None:
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=utf-8\\n"', '"Language: vi\\n"', ""]
    for msgid, msgstr in entries:
        if msgid in fuzzy:
            lines.append("#, fuzzy")
        lines += [f"msgid {msgid!r}".replace("'", '"'), f"msgstr {msgstr!r}".replace("'", '"'), ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def tmp_catalogue(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    i18n.reload()
    yield tmp_path / "locale" / "vi" / "LC_MESSAGES"
    i18n.reload()


def test_lookup_uses_the_translation_and_falls_back_to_english(tmp_catalogue):
    _write_po(tmp_catalogue / "a.po", [("Target met", "Đạt mục tiêu"), ("Off track", "")])
    _write_po(tmp_catalogue / "b.po", [("On track", "Đúng lộ trình")], fuzzy=("On track",))
    i18n.use("vi")
    assert i18n._("Target met") == "Đạt mục tiêu"
    assert i18n._("Off track") == "Off track"  # untranslated: English shown (and the check fails)
    assert i18n._("On track") == "On track"  # fuzzy: not trusted until a translator confirms it
    i18n.use("en")
    assert i18n._("Target met") == "Target met"


def test_marks_wrap_translated_text_for_the_bypass_check(tmp_catalogue, monkeypatch):
    _write_po(tmp_catalogue / "a.po", [("Target met", "Đạt mục tiêu")])
    monkeypatch.setenv("R57_I18N_MARK", "1")
    i18n.use("vi")
    assert i18n._("Target met") == "\u27e6Đạt mục tiêu\u27e7"
    html = f"<p>{i18n._('Target met')} {i18n.fmt.pct(0.41)}</p><p>Untranslated words</p><style>p {{}}</style>"
    left = messages.bypassed(html)
    assert [w.split(" in ")[0] for w in left] == ["'Untranslated'", "'words'"]


def test_bypass_reads_alt_text_and_the_text_of_embedded_svg_charts():
    import base64

    svg = base64.b64encode(b"<svg><text>GERD share</text><text>0.5</text></svg>").decode()
    html = f'<img alt="A chart" src="data:image/svg+xml;base64,{svg}">'
    words = [w.split(" in ")[0] for w in messages.bypassed(html)]
    assert words == ["'A'", "'chart'", "'share'"]  # GERD is an acronym, 0.5 a number: both allowed


# -- extraction and the checks of a translation ---------------------------------------------------------


def test_extraction_finds_calls_markdown_cells_and_plural_and_context_forms(tmp_path, monkeypatch):
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "src/analysis/reports/words.py").write_text(
        'from analysis.i18n import _, N_, ngettext, pgettext\nA = N_("Observed")\n'
        'def f(n):\n    return _("{n} years").format(n=n), ngettext("one target", "{n} targets", n), pgettext("unit", "pp")\n',
        encoding="utf-8",
    )
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Where Viet Nam stands\n"),
        nbformat.v4.new_code_cell('md(_("Hello"))'),
    ]
    nbformat.write(nb, tmp_path / "notebooks/01_rd_paths.ipynb")
    found = messages.extract(tmp_path)
    ids = {m.id for _area, m in found.all()}
    assert {"Observed", "{n} years", ("one target", "{n} targets"), "pp", "## Where Viet Nam stands", "Hello"} <= ids
    areas = {m.key[1]: area for area, m in found.all()}
    assert areas["Hello"] == "rd_paths" and areas["Observed"] == "common"
    assert {m.key for _a, m in found.all() if m.context} == {("unit", "pp")}


def test_editorial_texts_are_the_validated_files_texts_in_their_order(tmp_path):
    from analysis.errors import DataError
    from analysis.reports import editorial

    figure = {"dataset": "vn_gerd", "indicator": "gerd_pct_gdp", "year": 2023}
    claim = {"claim": "C", "what the data say": "W {x}", "without the figures": "N", "edition": "E"}
    claim |= {"definition": "D", "why it may differ": "Y", "figures": {"x": figure}, "check": "near", "figure": "x"}
    claim |= {"claimed": 1.0, "tolerance": 0.1, "verdicts": {"supported": "S", "not_supported": "U"}}
    measure = {"definition": "MD", "source": "MS", "unit": "MU", "series": "gerd_start"}
    tracker = {"measures": {"T01": [measure, {"kind": "none", "reason": "R"}], "T02": "T01"}, "claims": [claim]}
    (tmp_path / "tracker.yaml").write_text(yaml.safe_dump(tracker, sort_keys=False), encoding="utf-8")
    assert editorial.texts(tmp_path / "tracker.yaml") == [
        "MD",
        "MS",
        "MU",
        "R",
        "C",
        "W {x}",
        "N",
        "E",
        "D",
        "Y",
        "S",
        "U",
    ]
    held = {
        "claim": "K",
        "found_in": "F",
        "claimed": {"rank": 58},
        "check": "rank_held",
        "index": "startupblink_country",
    }
    held |= {"entity": "VNM", "shown": "H {rank}", "shown_none": "O", "source": "P"}
    held |= {"verdicts": {"out_of_date": "V1", "supported": "V2", "not_supported": "V3"}}
    (tmp_path / "rankings.yaml").write_text(
        yaml.safe_dump({"claims": [held], "press_sources": ["Q"]}, sort_keys=False), "utf-8"
    )
    assert editorial.texts(tmp_path / "rankings.yaml") == ["K", "H {rank}", "O", "V1", "V2", "V3", "P", "Q"]
    ids = [m.id for m in messages.file_messages(tmp_path / "rankings.yaml", "src/analysis/locale/rankings.yaml")]
    assert ids[:8] == ["K", "H {rank}", "O", "V1", "V2", "V3", "P", "Q"]  # then the cities, from the ranking data
    assert "Baguio" in ids[8:] and len(ids) > 8
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad/rankings.yaml").write_text(yaml.safe_dump({"claims": [held]}), "utf-8")  # no press_sources
    with pytest.raises(DataError, match=r"rankings.yaml: the top level: 'press_sources' is a required property"):
        messages.file_messages(tmp_path / "bad/rankings.yaml", "src/analysis/locale/rankings.yaml")


def test_check_names_a_lost_placeholder_and_lost_bold(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    i18n.reload()
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    (tmp_path / "src/analysis/reports/x.py").write_text(
        'from analysis.i18n import _\n_("GERD was {share} in {year}")\n_("**Off track**")\n_("Fine")\n_("New text")\n',
        encoding="utf-8",
    )
    po = tmp_path / "locale/vi/LC_MESSAGES/common.po"
    _write_po(
        po,
        [("GERD was {share} in {year}", "GERD là {share}"), ("**Off track**", "Chệch hướng"), ("Fine", "Tốt")],
    )
    problems = {(p.kind, p.msgid) for p in messages.check("vi", tmp_path)}
    assert problems == {
        ("placeholders", "GERD was {share} in {year}"),
        ("markup", "**Off track**"),
        ("untranslated", "New text"),
    }
    i18n.reload()


def test_check_names_a_core_term_without_its_vietnamese_form(tmp_path, monkeypatch):
    """The term base's core terms are checked by `r57 i18n check` (a translator need not run the tests): 'real
    GDP growth' translated 'thực tế' and a nowcast called a projection (dự phóng) are named; the term base's
    forms, a field merely named like a term ({nowcast_year}) and a glossary exception are not."""
    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    i18n.reload()
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    texts = {
        "Real GDP growth, % a year": "Tăng trưởng GDP thực tế, %/năm",
        "The path starts from the nowcast": "Lộ trình xuất phát từ dự phóng",
        "Real GDP growth in {year}": "Tăng trưởng GDP theo giá so sánh năm {year}",
        "Estimated for {nowcast_year}": "Ước lượng cho năm {nowcast_year}",
    }
    (tmp_path / "src/analysis/reports/x.py").write_text(
        "from analysis.i18n import _\n" + "".join(f"_({t!r})\n" for t in texts), encoding="utf-8"
    )
    _write_po(tmp_path / "locale/vi/LC_MESSAGES/common.po", list(texts.items()))
    problems = [(p.kind, p.msgid) for p in messages.check("vi", tmp_path) if p.kind == "term"]
    assert problems == [("term", "Real GDP growth, % a year"), ("term", "The path starts from the nowcast")]
    # a glossary exception lets a text through for its term only
    glossary = messages.glossary() | {"exceptions": [{"msgid": "Real GDP growth, %", "term": "real GDP growth"}]}
    path = tmp_path / "glossary.yaml"
    path.write_text(yaml.safe_dump(glossary, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(messages, "GLOSSARY_PATH", path)
    assert [p.msgid for p in messages.check("vi", tmp_path) if p.kind == "term"] == ["The path starts from the nowcast"]
    i18n.reload()


def test_check_names_an_entry_the_sources_do_not_produce_or_keep_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    i18n.reload()
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    (tmp_path / "src/analysis/reports/x.py").write_text(
        'from analysis.i18n import _, NC_\nHEADERS = {"unit": NC_("targets table", "unit")}\n_("Kept")\n_("Moved")\n',
        encoding="utf-8",
    )
    common = tmp_path / "locale/vi/LC_MESSAGES/common.po"
    _write_po(common, [("Kept", "Giữ"), ("Gone", "Đã bỏ")])
    with common.open("a", encoding="utf-8") as fh:  # the context marker's entry: produced, so not stale
        fh.write('\nmsgctxt "targets table"\nmsgid "unit"\nmsgstr "đơn vị"\n')
    _write_po(tmp_path / "locale/vi/LC_MESSAGES/site.po", [("Moved", "Chuyển")])
    problems = {(p.kind, p.area, p.msgid) for p in messages.check("vi", tmp_path)}
    assert problems == {("stale", "common", "Gone"), ("misplaced", "site", "Moved")}
    i18n.reload()


def test_update_adds_new_texts_keeps_translations_and_is_stable(tmp_path, one_text_catalogue):
    po, source = one_text_catalogue
    source.write_text('from analysis.i18n import _\n_("Observed")\n_("Estimate")\n', encoding="utf-8")
    counts = messages.update("vi", tmp_path)
    assert counts["common"] == (2, 1)
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Quan sát"' in text and 'msgid "Estimate"' in text
    before = text
    messages.update("vi", tmp_path)
    assert po.read_text(encoding="utf-8") == before  # nothing changed: not rewritten


def test_a_changed_text_is_fuzzy_without_a_previous_msgid_that_a_round_trip_garbles(tmp_path, monkeypatch):
    """update marks a changed text fuzzy with its old translation but writes no ``#|`` previous msgid: a long
    one, read back and written by babel, came back as translator comments ("# | msgid ..."), 100 of them."""
    from babel.messages.pofile import read_po, write_po

    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    source = tmp_path / "src/analysis/reports/x.py"
    old = "The latest edition ranks it {rank} of {n}; the target is the top {target} by {year}, as the text says."
    source.write_text(f"from analysis.i18n import _\n_({old!r})\n", encoding="utf-8")
    messages.update("vi", tmp_path)
    po = messages.po_path("vi", "common")
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr ""\n\n', 'msgstr "Đứng thứ {rank}/{n}"\n\n', 1))
    source.write_text(f"from analysis.i18n import _\n_({old.replace('text says', 'data say')!r})\n", encoding="utf-8")
    messages.update("vi", tmp_path)
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" in text and "Đứng thứ" in text and "#|" not in text
    buf = io.BytesIO()
    write_po(buf, read_po(io.BytesIO(text.encode("utf-8"))), width=100, include_previous=True)
    assert "# |" not in buf.getvalue().decode("utf-8")
    i18n.reload()


def test_check_names_a_catalogue_update_would_reorder_and_update_mends_it(tmp_path, monkeypatch):
    """Entries out of the sources' order (a hand edit) are a ``layout`` problem, so that the next ``r57 i18n
    update`` changes only what changed; after update the check is clean."""
    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    i18n.reload()
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    (tmp_path / "src/analysis/reports/x.py").write_text(
        'from analysis.i18n import _\n_("First")\n_("Second")\n', encoding="utf-8"
    )
    messages.update("vi", tmp_path)
    po = messages.po_path("vi", "common")
    text = po.read_text(encoding="utf-8").replace('msgid "First"\nmsgstr ""', 'msgid "First"\nmsgstr "Một"')
    po.write_text(text.replace('msgid "Second"\nmsgstr ""', 'msgid "Second"\nmsgstr "Hai"'), encoding="utf-8")
    assert messages.check("vi", tmp_path) == []  # translated, in the sources' order
    first, second = (text[text.index(f'msgid "{w}"') :].split("\n\n")[0] for w in ("First", "Second"))
    swapped = po.read_text(encoding="utf-8").replace(first, "@").replace(second.replace('""', '"Hai"'), first)
    po.write_text(swapped.replace("@", second.replace('""', '"Hai"')).replace(first, first.replace('""', '"Một"')))
    assert [(p.kind, p.area) for p in messages.check("vi", tmp_path)] == [("layout", "common")]
    messages.update("vi", tmp_path)
    assert messages.check("vi", tmp_path) == []
    i18n.reload()


@pytest.mark.parametrize(
    ("insert", "line", "problem"),
    [
        ('msgid "dup"\n', 'msgid "differs"', "missing msgstr for msgid 'differs'"),
        ('msgstr "khác"\n\nmsgid "differs"\n', 'msgid "differs"', "msgid 'differs' given a second time"),
    ],
)
def test_update_refuses_a_malformed_catalogue_naming_file_and_line_and_writes_nothing(
    tmp_path, monkeypatch, insert, line, problem
):
    """A stray ``msgid`` line (babel merged it and dropped the translation) or a msgid given twice."""
    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    (tmp_path / "src/analysis/reports/x.py").write_text(
        'from analysis.i18n import _\n_("same")\n_("differs")\n', encoding="utf-8"
    )
    messages.update("vi", tmp_path)
    po = messages.po_path("vi", "common")
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgid "differs"\nmsgstr ""', 'msgid "differs"\nmsgstr "khác"')
    )
    broken = po.read_text(encoding="utf-8").replace('msgid "differs"\n', 'msgid "differs"\n' + insert)
    po.write_text(broken, encoding="utf-8")
    lines = broken.splitlines()
    number = max(i for i, text in enumerate(lines, 1) if text == line)  # the only one, or the repeated one
    with pytest.raises(InputError) as err:
        messages.update("vi", tmp_path)
    assert str(err.value).startswith(f"{po}, line {number}: {problem}; fix that line") and "\n" not in str(err.value)
    assert po.read_text(encoding="utf-8") == broken  # nothing written: the translation "khác" is kept
    i18n.reload()


def _python_sources() -> list[Path]:
    return sorted((ROOT / "src/analysis").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.py"))


@pytest.mark.parametrize("path", _python_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_text_is_built_before_translation(path):
    """``_(f"...")`` or ``_("a" + b)`` would look up a text that is in no catalogue: the reader sees English."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"_", "gettext", "N_", "ngettext", "pgettext"}
        ):
            for arg in node.args:
                if isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
                    isinstance(arg, ast.Call) and getattr(arg.func, "attr", "") == "format"
                ):
                    bad.append(node.lineno)
    assert bad == [], f"{path.relative_to(ROOT)}: text built before translation on lines {bad}"


def test_a_marked_heading_stays_a_heading(tmp_catalogue, monkeypatch):
    _write_po(tmp_catalogue / "a.po", [("## Where Viet Nam stands", "## Việt Nam đang ở đâu")])
    monkeypatch.setenv("R57_I18N_MARK", "1")
    i18n.use("vi")
    assert i18n.translate_markdown("## Where Viet Nam stands\n") == "## \u27e6Việt Nam đang ở đâu\u27e7"
    monkeypatch.delenv("R57_I18N_MARK")
    assert i18n.translate_markdown("## Where Viet Nam stands\n") == "## Việt Nam đang ở đâu"


def test_vietnamese_chart_ticks_group_thousands_but_never_years():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from analysis.reports.render import localize_ticks

    i18n.use("vi")
    fig = Figure()
    ax = fig.subplots()
    ax.plot([2010, 2030], [10000, 22000])
    ax.set_xticks([2010, 2020, 2030])
    ax.set_yticks([10000, 15000, 20000])
    localize_ticks(fig)
    fig.canvas.draw()
    # 15000 is written 15.000 as in the report's text; the year axis stays 2010, 2020, 2030
    assert [t.get_text() for t in ax.get_yticklabels()] == ["10.000", "15.000", "20.000"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2010", "2020", "2030"]


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "0.4% of 12,345 in 2024, 3.14, 1.50 pp, −0.2 and 22 December 2024"),
        ("vi", "0,4% of 12.345 in 2024, 3,14, 1,50 điểm phần trăm, −0,2 and 22/12/2024"),
    ],
)
def test_a_typed_field_writes_its_number_the_language_s_way(lang, expected):
    # by hand: 0.4123% to one decimal; 12345 grouped; a year never grouped; 3.14159 by size (>= 1: two
    # decimals); 1.5 pp with two; -0.25 to one decimal is -0.2 (round half to even) with a true minus
    text = i18n.Text("{a:pct.1} of {b:num} in {y:year}, {c:auto}, {d:pp}, {e:signed.1} and {f:date}")
    with i18n.language(lang):
        assert text.format(a=0.4123, b=12345, y=2024, c=3.14159, d=1.5, e=-0.25, f="2024-12-22") == expected


@pytest.mark.parametrize("spec", [".2f", ",.0f", "pct.x", "percent", ">8"])
def test_a_format_spec_that_is_not_a_kind_of_number_is_refused(spec):
    with pytest.raises(i18n.FieldError, match="allowed: num, auto, pct"):
        i18n.Text("{x:" + spec + "}").format(x=1.5)


def test_a_layout_problem_says_what_differs_wrapping_order_or_the_first_line(tmp_path, monkeypatch):
    """A translator who wrote a correct msgstr on one long line is told it is the wrapping, not sent looking for
    entries out of order; an order change says order; anything else names the first line that differs."""
    monkeypatch.setattr(i18n, "DOMAIN_DIR", tmp_path / "locale")
    i18n.reload()
    (tmp_path / "src/analysis/reports").mkdir(parents=True)
    long = "A text long enough that update wraps its translation over two lines of the catalogue, " * 2
    (tmp_path / "src/analysis/reports/x.py").write_text(
        f'from analysis.i18n import _\n_("First")\n_("{long}")\n', encoding="utf-8"
    )
    messages.update("vi", tmp_path)
    po = messages.po_path("vi", "common")
    text = po.read_text(encoding="utf-8").replace('msgid "First"\nmsgstr ""', 'msgid "First"\nmsgstr "Một"')
    po.write_text(text.replace('msgstr ""\n\n', f'msgstr "{long.upper()}"\n').rstrip("\n") + "\n", encoding="utf-8")
    (problem,) = messages.check("vi", tmp_path)  # the translation on one long line
    assert (problem.kind, problem.area) == ("layout", "common") and "(line wrapping from line " in problem.detail
    messages.update("vi", tmp_path)
    wrapped = po.read_text(encoding="utf-8")
    assert messages.check("vi", tmp_path) == [] and long.upper() not in wrapped  # update wrapped it
    lines = wrapped.splitlines()
    where = next(i for i, line in enumerate(lines) if line == 'msgstr ""' and lines[i + 1].startswith('"A TEXT')) + 1
    one_line = wrapped.replace(wrapped[wrapped.index('msgstr ""\n"A TEXT') :], f'msgstr "{long.upper()}"\n')
    assert messages.layout_difference(one_line.encode(), wrapped.encode()) == (
        f"line wrapping from line {where}: update wraps each text at 100 columns"
    )
    body = wrapped.rstrip("\n")
    blocks = body.split("\n\n")  # the header, "First", the long text
    swapped = "\n\n".join([*blocks[:-2], blocks[-1], blocks[-2]]) + wrapped[len(body) :]
    assert messages.layout_difference(swapped.encode(), wrapped.encode()).startswith(
        "entries out of the sources' order from line "
    )
    relocated = wrapped.replace("#: src/analysis/reports/x.py", "#: src/analysis/reports/y.py", 1)
    at = relocated.splitlines().index("#: src/analysis/reports/y.py") + 1
    assert messages.layout_difference(relocated.encode(), wrapped.encode()) == (
        f"line {at} is '#: src/analysis/reports/y.py'; update writes '#: src/analysis/reports/x.py'"
    )
    i18n.reload()


@pytest.mark.parametrize(
    "x, number",
    [(1, True), (2.5, True), (True, False), (None, False), ("3", False), (float("nan"), False), (float("-inf"), False)],
)
def test_a_number_is_a_finite_int_or_float(x, number):
    assert i18n.is_number(x) is number


def test_each_language_is_named_in_itself():
    assert [i18n.language_name(lang) for lang in i18n.LANGS] == ["English", "Tiếng Việt"]
