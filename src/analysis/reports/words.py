"""Words for readers: plurals, display names for code names, the country's name.

>>> plural(3, "year")
'3 years'
>>> display_name("back_loaded")
'back-loaded'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd

from analysis import i18n
from analysis.data.labels import LABELS, label
from analysis.i18n import N_, _
from analysis.models.rankings import INDICES
from analysis.models.targets import SHORT_WINDOW_YEARS

COUNTRY = "Viet Nam"  # the spelling the UN and the government use in English

_IRREGULAR = {"person": "people", "index": "indices", "economy": "economies", "entity": "entities", "child": "children"}

_VIETNAM = re.compile(r"(?<![\w-])Vietnam(?!\w)")  # the word only: not Vietnamese, PetroVietnam, VietnamPlus


def house_spelling(text: str) -> str:
    """``text`` with the country's name as the house spells it in English ('Vietnam' -> 'Viet Nam'), for labels
    built from data (not source titles or publishers' names).

    >>> house_spelling("Vietnam among the top 50; Vietnamese wording")
    'Viet Nam among the top 50; Vietnamese wording'
    """
    return _VIETNAM.sub(COUNTRY, text) if isinstance(text, str) else text


def _regular_plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural_word(n: float, word: str, many: str | None = None) -> str:
    """``word`` or its plural as ``n`` requires (1 -> singular; 0, 2, 1.5 -> plural)."""
    if n == 1:
        return word
    return many or _IRREGULAR.get(word) or _regular_plural(word)


# counted nouns: in Vietnamese a count takes the noun unchanged ("3 năm"), translated from the singular
COUNTED_NOUNS = (
    N_("year"),
    N_("edition"),
    N_("entity"),
    N_("economy"),
    N_("scenario"),
    N_("report"),
    N_("target"),
    N_("country"),
    N_("city"),
    N_("index"),
    N_("window"),
    N_("case"),
)


def plural(n: float, word: str, many: str | None = None) -> str:
    """The count as :data:`analysis.i18n.fmt` writes it and the right form: '1 entity', '1,204 scenarios'; in
    Vietnamese the singular's translation ('3 năm'); mark new words in :data:`COUNTED_NOUNS`.
    """
    count = i18n.fmt.num(n, 0 if float(n).is_integer() else 1)
    if i18n.current() != i18n.SOURCE_LANG:
        return _("{count} {noun}").format(count=count, noun=_(word))
    return f"{count} {plural_word(n, word, many)}"


def display_name(code: str) -> str:
    """A code name (path shape, index code, status) as readers see it; an unknown code loses its underscores."""
    for kind in ("shape", "series", "method"):
        if code in LABELS[kind]:
            return label(kind, code)
    if code in INDICES:
        return _(INDICES[code].title)
    return str(code).replace("_", " ")


def pace_text(x: float) -> str:
    """A pace with decimals by size, or to two significant figures where those decimals would round a pace to zero,
    so that its sign shows (``-0.00049``, not ``0.000``)."""
    if x and not pd.isna(x) and i18n.rounded(x, 3) == 0:
        return i18n.fmt.sig(x, 2)
    return i18n.fmt.num(x, None)


# a pace seen the other way from the one needed but smaller than this share of it is flat, not a move away: a
# fitted slope that small is within what one step of the data does over the window (T01c's +0.023 places a year
# against -0.333 needed is a regional rank that went 6 -> 5)
FLAT_RATIO = 0.10


def verdicts_text(row: dict) -> str:
    """The pace(s) seen against the pace needed, and both verdicts where they differ (a target row); a pace seen
    the other way from the pace needed is said to move away from the target (flat under :data:`FLAT_RATIO` of it),
    not given as a share of it."""
    st, sl = row.get("status_short"), row.get("status_long")
    paces = {k: pace_text(row.get(k)) for k in ("pace_short", "pace_long", "pace_needed")}
    paces["short_window"] = SHORT_WINDOW_YEARS
    if st and sl and st != sl:
        return _(
            "pace seen {pace_short} a year over {short_window:num} years ({short_status}) and {pace_long} over the "
            "long window ({long_status}) vs {pace_needed} needed"
        ).format(short_status=label("target_status", st), long_status=label("target_status", sl), **paces)
    which = "short" if st else "long"
    ratio = row[f"pace_ratio_{which}"]
    if ratio < 0:
        text = (
            _("pace seen {seen} a year vs {pace_needed} needed: no climb (flat)")
            if -ratio < FLAT_RATIO
            else _("pace seen {seen} a year vs {pace_needed} needed: moving away from the target")
        )
        return text.format(seen=paces[f"pace_{which}"], pace_needed=paces["pace_needed"])
    return _("pace seen {seen} a year vs {pace_needed} needed: {share:pct.0} of it").format(
        seen=paces[f"pace_{which}"], pace_needed=paces["pace_needed"], share=ratio * 100
    )


Part = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def say_parts(text: str, parts: Iterable[Part]) -> str:
    """``text`` from the data kept as written, with each part matching a pattern of ``parts`` replaced by what
    its function says (through the catalogue); the English edition shows ``text`` as it is.
    """
    if i18n.current() == i18n.SOURCE_LANG or not isinstance(text, str):
        return i18n.keep(text)
    segments: list[tuple[str, bool]] = [(text, False)]  # (text, said): data stays as written, marked as kept
    for pattern, say in parts:
        out: list[tuple[str, bool]] = []
        for seg, said in segments:
            if said:
                out.append((seg, said))
                continue
            at = 0
            for m in pattern.finditer(seg):
                out += [(seg[at : m.start()], False), (say(m), True)]
                at = m.end()
            out.append((seg[at:], False))
        segments = out
    return "".join(seg if said or not seg.strip() else i18n.keep(seg) for seg, said in segments)
