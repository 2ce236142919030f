"""What r57 may replace: only what it recorded writing, unchanged. One module decides for every writer.

Every folder r57 writes into carries a manifest, ``.r57-output`` (JSON, written last): each file r57 wrote
there with its SHA-256. A folder may be replaced when absent, empty or all recorded unchanged
(:func:`check_folder`); a single file when absent or recorded unchanged (:func:`check_file`); nothing is
written inside r57's input folders. A folder or file a user names (a run, ``site build``, ``--output``) is checked
by :func:`check_target`, each caller giving only its rule for the report site. Anything else is an :class:`~analysis.errors.OutputDirError` naming
the first foreign file. Migration: a folder holding the old plain-text ``LEGACY_MARKER`` is accepted once
when it holds only what r57 wrote into run folders (:func:`_legacy_foreign`).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from analysis import i18n, paths
from analysis.data.manifest import FILE_MODE, TEMP_RE, temporary_file, write_atomic
from analysis.data.manifest import sha256_of as sha256  # the one file checksum: the data manifest's too
from analysis.errors import InputError, OutputDirError
from analysis.run.records import load_json, read_json

GLOSSARY_PAGE = "glossary.html"
ZIP_NAME = "tables.zip"  # every table of an edition's reports, beside its index.html
SITE_FILES = ("index.html", GLOSSARY_PAGE, ZIP_NAME)  # each edition's own pages, recorded in its .r57-output

MANIFEST = ".r57-output"
FOLDER_MODE = 0o755
_KIND = "r57 output manifest"
LEGACY_MARKER = b"This folder was created by r57; the next run replaces it whole.\n"
# what r57 wrote into a run folder before the manifest existed (the legacy migration's names)
LEGACY_FILES = frozenset(
    {MANIFEST, "notebook.ipynb", "report.html", "report.pdf", "results.json", "params.yaml", "run.json", "error.txt"}
    | {"error.html"}
)


def input_folders() -> list[Path]:
    """Folders r57 reads its inputs from: nothing is written into them."""
    data = paths.PROJECT_ROOT / "data"
    return [paths.RAW_DATA_DIR, data, paths.ARCHIVE_DIR, paths.NOTEBOOKS_DIR, paths.SCENARIOS_DIR, paths.SOURCE_DIR]


def check_not_input(path: Path, what: str) -> None:
    """OutputDirError when ``path``, as given or with its links resolved, is inside one of :func:`input_folders`:
    the one refusal of every writer (an output folder, the site folder, a file)."""
    seen = {Path(os.path.abspath(path)), Path(os.path.realpath(path))}
    if any(p == inputs or inputs in p.parents for p in seen for inputs in input_folders()):
        raise OutputDirError(
            f"{what} {path} is inside one of r57's own input folders (data, notebooks, scenarios, the source "
            "code); give a path outside them. Nothing was written."
        )


class SitePart(NamedTuple):
    """Where a path lies in the report site: ``kind`` "site" (``reports/``, an edition folder or a folder
    around them), "report" (a report folder, ``rd-baseline``, ``vi/rd-baseline.failed``), "page" (a page or
    record of an edition: ``vi/index.html``) or "free" (anything else, ``sweep.csv``); ``inside`` when the
    path lies inside ``name`` rather than being it."""

    name: str
    kind: str
    inside: bool

    def words(self) -> str:
        """Where a refused path lies: "is inside rd-baseline, part of the report site run-all writes"."""
        where = "the report site" if self.kind == "site" else f"{self.name}, part of the report site run-all writes"
        return f"is {'inside ' if self.inside else ''}{where}"


def site_part(path: Path, reports_dir: Path | None = None) -> SitePart | None:
    """What of the report site ``reports_dir`` (default ``reports/``) ``path`` is or lies in, with its links
    resolved (a linked parent is no way around the site's protection); None outside it."""

    real, reports = Path(os.path.realpath(path)), Path(os.path.realpath(reports_dir or paths.REPORTS_DIR))
    if real == reports or real in reports.parents:
        return SitePart(".", "site", False)
    if reports not in real.parents:
        return None
    parts = real.relative_to(reports).parts
    edition = int(parts[0] in i18n.LANGS)
    if len(parts) == edition:
        return SitePart(parts[0], "site", False)
    head, name = parts[edition], "/".join(parts[: edition + 1])
    inside = len(parts) > edition + 1
    if (paths.SCENARIOS_DIR / f"{head.removesuffix('.failed')}.yaml").is_file():
        return SitePart(name, "report", inside)
    if head in SITE_FILES or head.startswith((".r57", "compare-")):
        return SitePart(name, "page", inside)
    return SitePart(name, "free", inside)


def read_manifest(folder: Path) -> dict[str, list[str]] | None:
    """{relative name: [accepted sha256, ...]} from ``folder``'s manifest; None when there is none."""
    doc = read_json(folder / MANIFEST)
    if doc.get("kind") != _KIND or not isinstance(doc.get("files"), dict):
        return None
    return {str(k): [str(h) for h in v] if isinstance(v, list) else [str(v)] for k, v in doc["files"].items()}


def save_manifest(folder: Path, files: dict[str, list[str]]) -> None:
    """Write ``folder``'s record: {relative name: [accepted sha256, ...]}."""
    doc = {
        "kind": _KIND,
        "note": "The files r57 wrote here, with their sha256. r57 replaces this folder (or one of these files) "
        "only while every file in it is listed here unchanged.",
        "files": dict(sorted(files.items())),
    }
    write_atomic(folder / MANIFEST, (json.dumps(doc, indent=1) + "\n").encode())


def _files(folder: Path) -> list[str]:
    """Every entry of ``folder`` but folders (links not followed), relative, sorted, at any depth."""
    out = []
    for root, dirs, names in os.walk(folder):
        base = Path(root).relative_to(folder)
        for d in list(dirs):
            if (Path(root) / d).is_symlink():  # a link to a folder is a foreign entry, never walked
                names.append(d)
                dirs.remove(d)
        out += [(base / n).as_posix() for n in names]
    return sorted(out)


def _is_legacy_marker(path: Path) -> bool:
    try:
        regular = path.is_file() and not path.is_symlink() and path.stat().st_size == len(LEGACY_MARKER)
        return regular and path.read_bytes() == LEGACY_MARKER  # a FIFO is never read (it would wait)
    except OSError:
        return False


def _legacy_foreign(folder: Path, files: list[str]) -> str | None:
    """The first file of an old-marker run folder that r57 did not write by the migration rule, else None."""
    try:
        listed = load_json(folder / "results.json").get("tables") or []
        tables = {str(t.get("id")) if isinstance(t, dict) else str(t) for t in listed}  # {"id": ..., "csv": ...}
    except (InputError, AttributeError, TypeError):
        tables = set()
    for rel in files:
        p = folder / rel
        if p.is_symlink() or not p.is_file():
            return rel
        parts = rel.split("/")
        if len(parts) == 1 and rel in LEGACY_FILES:
            continue
        if len(parts) == 2 and parts[0] == "tables" and parts[1].endswith(".csv"):
            stem = parts[1][: -len(".csv")]
            if stem in tables or stem.rsplit(".", 1)[0] in tables:
                continue
        return rel
    return None


def _stale_temporary(folder: Path, rel: str) -> bool:
    """``folder/rel`` is a temporary file of an r57 process that is gone (killed while writing)."""
    from analysis.run.kernel import pid_alive

    m = TEMP_RE.match(Path(rel).name)
    return m is not None and not (folder / rel).is_symlink() and not pid_alive(int(m.group(1)))


def foreign_file(folder: Path) -> str | None:
    """The first file in ``folder`` r57 did not record writing unchanged (a dead r57 process's temporary
    files aside); None when r57 may replace it."""
    if not folder.is_dir() or folder.is_symlink():
        return None if not folder.exists() and not folder.is_symlink() else "."
    files = [rel for rel in _files(folder) if not _stale_temporary(folder, rel)]
    manifest = read_manifest(folder)
    if manifest is None:
        if _is_legacy_marker(folder / MANIFEST):
            return _legacy_foreign(folder, files)
        return MANIFEST if MANIFEST in files else files[0] if files else None
    for rel in files:
        if rel == MANIFEST:
            continue
        p = folder / rel
        if rel not in manifest or p.is_symlink() or not p.is_file() or sha256(p) not in manifest[rel]:
            return rel
    return None


def refusal(folder: Path, rel: str, what: str = "output folder") -> OutputDirError:
    why = (
        "is not a folder r57 can own (a symbolic link or a file)"
        if rel == "."
        else f"holds {rel}, which r57 did not write there or which changed since (its record {MANIFEST} does "
        "not list it unchanged)"
    )
    return OutputDirError(
        f"{what} {folder} {why}; r57 replaces only what it wrote. Move {rel if rel != '.' else 'it'} away "
        "or choose another folder. Nothing was written."
    )


def check_folder(folder: Path, what: str = "output folder") -> None:
    """Raise OutputDirError unless r57 may replace or remove ``folder`` whole (see the module's rule)."""
    rel = foreign_file(folder)
    if rel is not None:
        raise refusal(folder, rel, what)


def seal(folder: Path) -> None:
    """Record every regular file now in ``folder`` as r57's, modes 0644/0755. For a folder r57 just built."""
    files = {}
    for rel in _files(folder):
        if rel != MANIFEST and (folder / rel).is_file() and not (folder / rel).is_symlink():
            os.chmod(folder / rel, FILE_MODE)
            files[rel] = [sha256(folder / rel)]
    for root, dirs, _ in os.walk(folder):
        for d in dirs:
            os.chmod(Path(root) / d, FOLDER_MODE)
    os.chmod(folder, FOLDER_MODE)
    save_manifest(folder, files)


def remove_folder(folder: Path) -> None:
    """Remove ``folder`` if r57 may (else raise OutputDirError and leave it)."""
    import shutil

    check_folder(folder, "folder")
    if folder.exists():
        shutil.rmtree(folder)


def _checksum(path: Path) -> str | None:
    """``path``'s sha256, None when it cannot be read (``/proc/self/mem``): not a file r57 wrote."""
    try:
        return sha256(path)
    except OSError:
        return None


def check_file(path: Path, what: str = "output file") -> Path:
    """``path`` made absolute; OutputDirError unless r57 may write it (see the module's rule)."""
    path = Path(os.path.abspath(path))
    check_not_input(path, what)
    why = ""
    if path.is_symlink():
        why = "is a symbolic link; r57 does not follow links"
    elif path.exists() and not path.is_file():
        why = "exists and is not a regular file"
    elif (path.parent / MANIFEST).exists() and read_manifest(path.parent) is None:
        why = f"is in a folder whose {path.parent / MANIFEST} is not r57's record (r57 does not replace it)"
    elif path.exists() and _checksum(path) not in (read_manifest(path.parent) or {}).get(path.name, []):
        why = f"exists and r57 did not write it (or it changed since; {path.parent / MANIFEST} does not list it)"
    if why:
        raise OutputDirError(f"{what} {path} {why}. Move it away or give another path. Nothing was written.")
    return path


def check_target(
    path: Path, what: str, site_rule: Callable[[SitePart], str], *, folder: bool = True, reports_dir: Path | None = None
) -> Path:
    """``path``, a folder r57 is to replace whole (a file with ``folder`` false), made absolute; OutputDirError
    with the first rule it breaks. Every writer a user points somewhere (a run, ``site build``, ``--output``)
    shares these rules, in order: not in an input folder, not the root of the file system, not a link, not where
    ``site_rule`` says why it may not write in the report site ``reports_dir`` (given the :class:`SitePart`;
    "" when it may), then a folder: not the project folder, a parent or the home folder, not a file, holding only
    what r57 recorded (:func:`check_folder`); a file: :func:`check_file`."""
    path = Path(os.path.abspath(path))
    check_not_input(path, what)
    part = site_part(path, reports_dir)  # links resolved: a linked parent is no way around the site's rule
    why = ""
    if folder and path.parent == path:
        why = "is the root of the file system"
    elif folder and path.is_symlink():
        why = f"is a symbolic link (to {os.readlink(path)}); r57 does not follow links, give the real folder"
    elif part is not None and (site_why := site_rule(part)):
        why = site_why
    elif folder and (path == paths.PROJECT_ROOT or path in paths.PROJECT_ROOT.parents or path == Path.home()):
        why = "is the project folder, one of its parents or your home folder"
    elif folder and path.exists() and not path.is_dir():
        why = "is an existing file, not a folder"
    if why:
        raise OutputDirError(f"{what} {path} {why}. Nothing was written.")
    if not folder:
        return check_file(path, what)
    check_folder(path, what)
    return path


def _outside_site_pages(part: SitePart) -> str:
    """Why a file a user names may not be ``part`` of the report site: a report folder's or a page's files are
    run-all's, published by ``site build``; "" for anything else."""
    if part.kind == "free":
        return ""
    return f"{part.words()}; give a path outside the report folders (such as {paths.REPORTS_DIR / 'sweep.csv'})"


def check_output_file(path: Path, what: str) -> Path:
    """:func:`check_file` for a path a user gave (``sweep --output``): also refused in a report folder or as a
    page of the report site, which run-all writes and ``site build`` publishes."""
    return check_target(path, what, _outside_site_pages, folder=False)


def write_file(path: Path, content: bytes | str | Callable[[Path], None], what: str = "output file") -> Path:
    """Write ``path`` (0644) if :func:`check_file` allows, and record it in its folder's manifest.

    ``content``: bytes, text, or a function writing the file at the path it is given. The manifest accepts
    the old and the new checksum until the rename, so a kill at any point leaves a folder r57 recognises."""
    folder = Path(os.path.abspath(path)).parent
    if _is_legacy_marker(folder / MANIFEST) and foreign_file(folder) is None:
        seal(folder)  # the migration: an old-marker run folder of r57's gets its manifest now
    path = check_file(path, what)
    if not folder.exists():
        folder.mkdir(parents=True)
        os.chmod(folder, FOLDER_MODE)
    tmp = None
    try:
        tmp = temporary_file(path)
        if callable(content):
            content(tmp)
        else:
            tmp.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        new = sha256(tmp)
        os.chmod(tmp, FILE_MODE)
        files = read_manifest(folder) or {}
        files[path.name] = sorted({*files.get(path.name, []), new})
        save_manifest(folder, files)
        os.replace(tmp, path)
        files[path.name] = [new]
        save_manifest(folder, files)
    except OSError as exc:  # a full disk while writing: the message names the file (the system names none)
        if exc.filename in (None, str(tmp)):
            exc.filename = str(path)
        raise
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return path


def write_into(folder: Path, name: str, content: bytes | str) -> Path:
    """Write and record ``folder/name`` in r57's own run or ``.failed`` folder (made if absent)."""
    if read_manifest(folder) is None:
        check_folder(folder)  # absent, empty, or an old-marker folder of r57's: record what is there now
        folder.mkdir(parents=True, exist_ok=True)
        seal(folder)
    return write_file(folder / name, content)


def adopt(path: Path, proof: Callable[[str], bool] | Callable[[bytes], bool], binary: bool = False) -> None:
    """Migration: record ``path``, a regular file its folder's manifest does not list, when ``proof`` (given
    its text, or its bytes with ``binary``) says r57 made it."""
    if path.is_symlink() or not path.is_file() or path.name in (read_manifest(path.parent) or {}):
        return
    try:
        content = path.read_bytes() if binary else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    if proof(content):
        files = read_manifest(path.parent) or {}
        files[path.name] = [sha256(path)]
        save_manifest(path.parent, files)
