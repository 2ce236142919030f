"""Draw the fixed-seed sample of Vietnamese catalogue strings a reader scores (issue 25, item 6).

Reads every translated, non-fuzzy message of ``src/analysis/locale/vi/LC_MESSAGES/*.po`` (files in name
order, messages in file order) and prints ``N`` of them drawn with ``random.Random(SEED)``. Adding
messages changes the draw, so ``--drawn-at REV`` draws from the catalogues as they were at a git revision
and prints the translations of those messages today: the same strings, scored again after fixes.

Usage: ``python scripts/vi_sample.py [--drawn-at REV] [N] [SEED]`` (defaults: 40, 57).
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = "src/analysis/locale/vi/LC_MESSAGES"


def _read(handle: io.BufferedIOBase, name: str) -> list[tuple[str, str, str]]:
    found = []
    for message in read_po(handle):
        if not message.id or message.fuzzy:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        msgstr = message.string[0] if isinstance(message.string, tuple) else message.string
        if msgstr:
            found.append((name, msgid, msgstr))
    return found


def messages(rev: str | None = None) -> list[tuple[str, str, str]]:
    """(catalogue, msgid, msgstr) of every translated, non-fuzzy message, today or at git revision ``rev``."""
    if rev is None:
        return [m for po in sorted((ROOT / CATALOGUES).glob("*.po")) for m in _read(po.open("rb"), po.stem)]
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", rev, CATALOGUES + "/"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    found = []
    for name in sorted(n for n in names if n.endswith(".po")):
        text = subprocess.run(["git", "show", f"{rev}:{name}"], cwd=ROOT, check=True, capture_output=True).stdout
        found += _read(io.BytesIO(text), Path(name).stem)
    return found


def main(argv: list[str]) -> None:
    rev = None
    if argv[:1] == ["--drawn-at"]:
        rev, argv = argv[1], argv[2:]
    count = int(argv[0]) if argv else 40
    seed = int(argv[1]) if len(argv) > 1 else 57
    pool = messages(rev)
    today = {(c, i): s for c, i, s in messages()}
    where = f" at {rev}" if rev else ""
    print(f"seed {seed}; {count} of {len(pool)} translated messages{where}")
    for number, (catalogue, msgid, msgstr) in enumerate(random.Random(seed).sample(pool, count), 1):
        print(f"\n[{number}] {catalogue}\n  en: {msgid}\n  vi: {today.get((catalogue, msgid), msgstr)}")


if __name__ == "__main__":
    main(sys.argv[1:])
