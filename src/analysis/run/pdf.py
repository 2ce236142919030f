"""Reports and comparison pages as PDF: headless Chromium (Debian's ``chromium``) prints a copy of the page
with CSS page-margin boxes (title, "Page N of M"); the PDF is renamed into place once printed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.data.manifest import temporary_file
from analysis.errors import R57Error
from analysis.reports.fonts import FAMILY, embed_page_font

# headless Chromium as root on a machine with no network but loopback: without the background-networking
# flags it keeps trying (and failing) to reach Google's hosts; the browser tests use the same flags
BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run")
BROWSER_FLAGS += ("--disable-background-networking", "--disable-component-update", "--disable-sync")
FLAGS = (*BROWSER_FLAGS, "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")


MARGIN_FONT = f"8pt '{FAMILY}',system-ui,sans-serif"  # the page's embedded font (see html_to_pdf)


class PdfError(R57Error):
    """No browser to print with, or printing failed."""


def chromium() -> str | None:
    """The Chromium executable (``R57_CHROMIUM`` overrides), or None."""
    found = (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))
    return os.environ.get("R57_CHROMIUM") or next((exe for exe in found if exe), None)


def print_css(title: str) -> str:
    """CSS for print: A4 margins, page numbers and the title in the page margins, no split charts or table rows."""
    # a CSS string inside <style>: entities are not decoded there, so escape for CSS (and keep '<' out)
    safe = (
        title.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("<", "\\3C ")
        .replace(">", "\\3E ")
        .replace("\n", " ")[:90]
    )
    return (
        '<style media="print">@page{size:A4;margin:15mm 12mm 16mm 12mm;'
        f'@bottom-left{{content:"{safe}";font:{MARGIN_FONT};color:#555}}'
        f'@bottom-right{{content:"Page " counter(page) " of " counter(pages);font:{MARGIN_FONT};color:#555}}}}'
        "figure,img,svg,tr{break-inside:avoid} h1,h2,h3{break-after:avoid}"
        "body{-webkit-print-color-adjust:exact;print-color-adjust:exact}</style>"
    )


def _title(html_text: str) -> str:
    import re
    from html import unescape

    m = re.search(r"<title>(.*?)</title>", html_text, re.S | re.I)
    return unescape(m.group(1)).strip() if m else "r57 report"


def _die_with_parent() -> None:
    """In the forked child (Linux): the kernel kills Chromium when this process dies, even by ``kill -9``."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG


def _run_chromium(argv: list[str], timeout_s: float) -> tuple[int, str]:
    """Run Chromium in a process group of its own, killed when done, after ``timeout_s`` (TimeoutExpired)
    or on an interrupt; return (exit code, standard error)."""
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    except OSError as exc:
        raise PdfError(f"cannot start Chromium ({argv[0]}) to print the PDF: {exc}") from None
    try:
        _, stderr = proc.communicate(timeout=timeout_s)
        return proc.returncode, stderr
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.kill()  # the leader, if it is still there (a no-op once it has been waited for)
        proc.communicate()
        _wait_group_gone(proc.pid, GROUP_EXIT_S)


GROUP_EXIT_S = 5.0  # killed processes are gone within moments; a profile folder is removed only after


def _group_alive(pgid: int) -> bool:
    """True while a process of group ``pgid`` runs (a zombie, dead but not reaped, does not count)."""
    proc = Path("/proc")
    if not proc.is_dir():  # no /proc: the operating system's answer, zombies included
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                return True
    return False


def _wait_group_gone(pgid: int, timeout_s: float) -> None:
    """Wait at most ``timeout_s`` for group ``pgid`` to die, so its profile folder is removed after it."""
    deadline = time.monotonic() + timeout_s
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)


def html_to_pdf(page: Path | str, pdf: Path | str | None = None, timeout_s: float = 180.0) -> Path:
    """Print ``page`` (an HTML file) to ``pdf`` (default: beside it, ``.pdf``); return the PDF's path."""
    page = Path(page).resolve()
    pdf = Path(pdf).resolve() if pdf else page.with_suffix(".pdf")
    exe = chromium()
    if exe is None:
        raise PdfError(
            "no Chromium to print the PDF with: install Debian's chromium (`apt-get install chromium`) "
            "or set R57_CHROMIUM to a Chrome or Chromium executable"
        )
    text = page.read_text(encoding="utf-8")
    css = print_css(_title(text))
    printable = text.replace("</head>", css + "</head>", 1) if "</head>" in text else css + text
    # the page's font again, now also with the characters of the page margins (title, page numbers)
    printable = embed_page_font(printable, extra=css)
    # the print copy sits beside the page, so relative links and images resolve the same way
    pdf.parent.mkdir(parents=True, exist_ok=True)
    copy = part = None  # named after this process: a kill -9 leaves litter r57 recognises (ownership)
    try:
        copy = temporary_file(page, ".html")
        part = temporary_file(pdf)
        copy.write_text(printable, encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="r57-chromium-") as profile:
            returncode, stderr = _run_chromium(
                [exe, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={part}", copy.as_uri()], timeout_s
            )
        if returncode != 0 or not part.exists() or part.stat().st_size == 0:
            raise PdfError(f"Chromium could not print {page} (exit code {returncode}): {stderr.strip()[-500:]}")
        os.replace(part, pdf)
    except OSError as exc:  # a full disk, a read-only folder
        raise PdfError(
            f"cannot write the PDF of {page}: {exc.strerror or exc} ({exc.filename or pdf.parent}); "
            "free some space or choose a folder you can write to"
        ) from None
    except subprocess.TimeoutExpired:
        raise PdfError(f"Chromium took more than {timeout_s:.0f} s to print {page}") from None
    finally:
        for p in (copy, part):
            if p is not None and p.exists():
                p.unlink()
    return pdf


def write_pdf(page: Path, what: str = "PDF") -> Path:
    """Print ``page`` to the ``.pdf`` beside it, recorded in the folder's manifest (the folder stays r57's)."""
    from analysis.run import ownership

    return ownership.write_file(page.with_suffix(".pdf"), lambda tmp: html_to_pdf(page, tmp), what)
