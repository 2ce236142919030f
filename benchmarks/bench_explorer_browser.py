"""The live explorer in a real headless Chromium: time from a control's change to the redrawn page.

Starts the explorer exactly as a user does (``r57 explore``, what ``make explore`` runs, on a free loopback
port), opens it in headless Chromium and drives it over the DevTools protocol. Each
change is made in the page as a reader makes it (the path-shape dropdown's ``change`` event; the GDP-growth
field's text and Enter); the clock runs in the page from that event until every part the change redraws has
new content in the DOM (the key figures and the charts) and the
browser has painted the next frame (``requestAnimationFrame``). So the figure includes the websocket round
trip, the kernel's validation, engine run and HTML, and the browser's layout, which bench_explorer.py leaves
out. Prints the median and 90th percentile per control against the 100 ms target; asserts nothing.

Run: .venv/bin/python benchmarks/bench_explorer_browser.py   (or make bench; needs chromium)
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# the tests' Chromium tab and explorer server: one way to drive them (tests/browser_page.py, voila_helper.py)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _common import header, verdict  # noqa: E402
from browser_page import CHROMIUM, Page  # noqa: E402
from voila_helper import explorer_server  # noqa: E402

TARGET_MS = 100.0
ROUNDS = 8  # each control's values are cycled this many times
START_TIMEOUT = 240.0  # seconds for Voila to start and the page to show its figures (a cold kernel)
# (what is changed, the values cycled, the parts of the page the change redraws)
CHANGES = (
    ("path_shape", ["straight line", "S-curve", "late rise", "steady growth rate"], ("figures", "charts")),
    # growth changes the data-filled defaults, so a map over it is recomputed row by row and waits for its
    # button (explore_ui.update_map): a growth change redraws the figures and the charts
    ("real_gdp_growth_pct", ["7", "{2026: 8, 2028: 6.5}", "5.5", "6.5"], ("figures", "charts")),
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


def main() -> None:
    header("live explorer in headless Chromium: control change -> redrawn page")
    if CHROMIUM is None:
        print("   skipped: chromium is not installed (`apt-get install chromium`)")
        return
    tmp = Path(tempfile.mkdtemp(prefix="r57-bench-browser-"))
    tab = None
    try:
        with explorer_server() as server:
            t0 = time.monotonic()
            tab = Page(server.url, tmp)
            tab.until("document.querySelector('#r57-figures') !== null", START_TIMEOUT, "the figures")
            print(f"   page ready (kernel, first draw) in {time.monotonic() - t0:.1f} s at {server.url.split('?')[0]}")
            every = []
            for name, values, parts in CHANGES:
                times = []
                for _ in range(ROUNDS):
                    for value in values:
                        call = f"{CHANGE_JS}({json.dumps(name)}, {json.dumps(value)}, {json.dumps(list(parts))})"
                        ms = tab.js(call, await_promise=True)
                        if ms is None or ms < 0:
                            raise SystemExit(f"bench_explorer_browser: {name} = {value!r} was not redrawn ({ms})")
                        times.append(ms)
                every += times
                print(
                    f"   {name:22s} -> {' + '.join(parts):24s} median {statistics.median(times):6.1f} ms, "
                    f"90th percentile {statistics.quantiles(times, n=10)[-1]:6.1f} ms over {len(times)} changes"
                )
            print(
                f"   any control, median of {len(every)} changes: " + verdict(statistics.median(every), TARGET_MS, "ms")
            )
    finally:
        if tab is not None:
            tab.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
