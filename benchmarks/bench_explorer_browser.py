"""The live explorer in a real headless Chromium: time from a control's change to the redrawn page.

Starts the explorer exactly as a user does (``make explore`` on a free loopback port, so Voila's command and
options are the Makefile's), opens it in headless Chromium and drives it over the DevTools protocol. Each
change is made in the page as a reader makes it (the path-shape dropdown's ``change`` event; the GDP-growth
field's text and Enter); the clock runs in the page from that event until every part the change redraws has
new content in the DOM (the key figures and the charts; for the growth field the two-way map too) and the
browser has painted the next frame (``requestAnimationFrame``). So the figure includes the websocket round
trip, the kernel's validation, engine run and HTML, and the browser's layout, which bench_explorer.py leaves
out. Prints the median and 90th percentile per control against the 100 ms target; asserts nothing.

Run: .venv/bin/python benchmarks/bench_explorer_browser.py   (or make bench; needs chromium)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import header, verdict  # noqa: E402
from analysis import paths  # noqa: E402
from analysis.run.pdf import BROWSER_FLAGS  # noqa: E402

TARGET_MS = 100.0
ROUNDS = 8  # each control's values are cycled this many times
START_TIMEOUT = 240.0  # seconds for Voila to start and the page to show its figures (a cold kernel)
# (what is changed, the values cycled, the parts of the page the change redraws)
CHANGES = (
    ("path_shape", ["straight line", "S-curve", "late rise", "steady growth rate"], ("figures", "charts")),
    ("real_gdp_growth_pct", ["7", "{2026: 8, 2028: 6.5}", "5.5", "6.5"], ("figures", "charts", "map")),
)

# the widget boxes that hold each part (their content is replaced on a redraw)
PARTS_JS = """const part = {
  figures: () => document.querySelector('#r57-figures')?.closest('.widget-html-content'),
  charts: () => document.querySelector('svg#share')?.closest('.widget-html-content'),
  map: () => document.querySelector('#map')?.closest('.widget-html-content'),
};"""
# change one control and wait for the parts to be redrawn and painted; resolves to ms, or -1 after 10 s
CHANGE_JS = (
    """(async (name, value, parts) => {
  PARTS
  const before = Object.fromEntries(parts.map(p => [p, part[p]().innerHTML]));
  let control;
  if (name === 'path_shape') {
    control = [...document.querySelectorAll('select')].find(s => [...s.options].some(o => o.value === 'S-curve'));
  } else {
    // the field on the row whose help line names the parameter
    const code = [...document.querySelectorAll('.r57-help code')].find(c => c.textContent === name);
    control = code?.closest('.widget-vbox')?.querySelector('.widget-text input');
  }
  if (!control) return -2;
  return await new Promise(resolve => {
    const done = () => parts.every(p => part[p]() && part[p]().innerHTML !== before[p]);
    const timer = setTimeout(() => { obs.disconnect(); resolve(-1); }, 10000);
    const obs = new MutationObserver(() => {
      if (!done()) return;
      obs.disconnect(); clearTimeout(timer);
      requestAnimationFrame(() => resolve(performance.now() - t0));
    });
    obs.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    const t0 = performance.now();
    control.value = value;
    control.dispatchEvent(new Event('change', {bubbles: true}));
    if (control.tagName === 'INPUT') control.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
  });
})"""
).replace("PARTS", PARTS_JS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(fn, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = fn()
            if value:
                return value
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.1)
    raise SystemExit(f"bench_explorer_browser: timed out after {timeout:.0f} s waiting for {what}")


class Tab:
    """One headless Chromium tab over the DevTools protocol."""

    def __init__(self, chromium: str, url: str, profile: Path):
        import websocket

        self.proc = subprocess.Popen(
            [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--window-size=1400,2400", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        port = int(wait_for(lambda: (profile / "DevToolsActivePort").read_text().split()[0], 60, "Chromium"))
        pages = wait_for(
            lambda: [
                t
                for t in json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5))
                if t.get("type") == "page"
            ],
            30,
            "a page target",
        )
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.n = 0

    def js(self, expression: str):
        self.n += 1
        params = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        self.ws.send(json.dumps({"id": self.n, "method": "Runtime.evaluate", "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.n:
                result = msg.get("result", {})
                if "exceptionDetails" in result:
                    raise ValueError(result["exceptionDetails"])
                return result.get("result", {}).get("value")

    def close(self) -> None:
        self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_explorer(port: int, log: Path) -> tuple[subprocess.Popen, str]:
    """``make explore`` on ``port`` in its own process group; returns it and the page's address as Voila
    prints it (with an access token, if the server asks for one)."""
    out = log.open("w")
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "explore", f"EXPLORE_PORT={port}"],
        cwd=paths.PROJECT_ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    address = re.compile(rf"http://(?:127\.0\.0\.1|localhost):{port}/\S*")
    url = wait_for(lambda: (m := address.search(log.read_text())) and m.group(0), 120, "Voila to print its address")
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # make and the Voila it started (their own group)
        proc.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    header("live explorer in headless Chromium: control change -> redrawn page")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("   skipped: chromium is not installed (`apt-get install chromium`)")
        return
    tmp = Path(tempfile.mkdtemp(prefix="r57-bench-browser-"))
    port = free_port()
    server, url = start_explorer(port, tmp / "voila.log")
    tab = None
    try:
        t0 = time.monotonic()
        tab = Tab(chromium, url, tmp / "profile")
        wait_for(lambda: tab.js("document.querySelector('#r57-figures') !== null"), START_TIMEOUT, "the figures")
        print(
            f"   page ready (Voila start, kernel, first draw) in {time.monotonic() - t0:.1f} s at {url.split('?')[0]}"
        )
        every = []
        for name, values, parts in CHANGES:
            times = []
            for _ in range(ROUNDS):
                for value in values:
                    ms = tab.js(f"{CHANGE_JS}({json.dumps(name)}, {json.dumps(value)}, {json.dumps(list(parts))})")
                    if ms is None or ms < 0:
                        raise SystemExit(f"bench_explorer_browser: {name} = {value!r} was not redrawn ({ms})")
                    times.append(ms)
            every += times
            print(
                f"   {name:22s} -> {' + '.join(parts):24s} median {statistics.median(times):6.1f} ms, "
                f"90th percentile {statistics.quantiles(times, n=10)[-1]:6.1f} ms over {len(times)} changes"
            )
        print(f"   any control, median of {len(every)} changes: " + verdict(statistics.median(every), TARGET_MS, "ms"))
    finally:
        if tab is not None:
            tab.close()
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
