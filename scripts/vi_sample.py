"""Draw the fixed-seed sample of Vietnamese catalogue strings a reader scores (issue 25, item 6).

Reads every translated, non-fuzzy message of ``src/analysis/locale/vi/LC_MESSAGES/*.po`` (files in name
order, messages in file order) and prints ``N`` of them drawn with ``random.Random(SEED)``, so a second
reading after fixes scores the same strings. Usage: ``python scripts/vi_sample.py [N] [SEED]``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).resolve().parents[1] / "src/analysis/locale/vi/LC_MESSAGES"


def messages() -> list[tuple[str, str, str]]:
    """Return (catalogue, msgid, msgstr) for every translated, non-fuzzy message."""
    found = []
    for po in sorted(CATALOGUES.glob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
            if msgstr:
                found.append((po.stem, msgid, msgstr))
    return found


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 40
    seed = int(argv[1]) if len(argv) > 1 else 57
    pool = messages()
    print(f"seed {seed}; {count} of {len(pool)} translated messages")
    for number, (catalogue, msgid, msgstr) in enumerate(random.Random(seed).sample(pool, count), 1):
        print(f"\n[{number}] {catalogue}\n  en: {msgid}\n  vi: {msgstr}")


if __name__ == "__main__":
    main(sys.argv[1:])
