"""One headless Chromium tab driven over the DevTools protocol, shared by the browser tests and
benchmarks/bench_explorer_browser.py (which puts this folder on its path): start it, open a page, evaluate
JavaScript, wait on the page's own changes with a deadline."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from analysis.run.pdf import BROWSER_FLAGS
from waiting import new_page, start_chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (`apt-get install chromium`; .ci/run does it)"
)
FLAGS = list(BROWSER_FLAGS)


class Page:
    """One Chromium tab over the DevTools protocol (websocket-client)."""

    def __init__(self, url: str, tmp: Path):
        import websocket

        self.profile = tmp / "chromium-profile"
        self.proc, port = start_chromium(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                "--window-size=1400,2400",
                "about:blank",
            ]
        )
        target = new_page(port, url)
        self.ws = websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.n = 0
        self.events: list[dict] = []  # DevTools events that arrived while waiting for a reply

    def reply(self, method: str, **params) -> dict:
        """DevTools' reply to ``method``, error or not; the events that arrive meanwhile are kept in ``events``."""
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())  # the socket's timeout is the deadline
            if msg.get("id") == self.n:
                return msg
            if "method" in msg:
                self.events.append(msg)

    def call(self, method: str, **params) -> dict:
        """The result of DevTools ``method``; an error reply raises."""
        msg = self.reply(method, **params)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg.get("result", {})

    def wait_event(self, method: str, timeout: float) -> dict:
        """The next DevTools event ``method`` (kept from earlier replies, else read as it arrives)."""
        deadline = time.monotonic() + timeout
        while True:
            for i, msg in enumerate(self.events):
                if msg["method"] == method:
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {method}")
            self.ws.settimeout(left)
            try:
                msg = json.loads(self.ws.recv())
            finally:
                self.ws.settimeout(60)
            if "method" in msg:
                self.events.append(msg)

    def open(self, url: str) -> None:
        """Open ``url`` (after ``Page.enable``); return once its load event has fired and its fonts are loaded."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired", 60)
        assert self.js("document.fonts.ready.then(() => document.fonts.status)", await_promise=True) == "loaded"

    def js(self, expression: str, await_promise: bool = False):
        """The value of ``expression``; a reply without one (its page gone, in a navigation) is None."""
        msg = self.reply("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=await_promise)
        result = msg.get("result", {})
        if "exceptionDetails" in result:
            raise ValueError(result["exceptionDetails"])
        return result.get("result", {}).get("value")

    def until(self, expression: str, timeout: float, what: str):
        """The value of ``expression`` once it is true: evaluated in the page now and again on every change
        of the page (a MutationObserver: waits on the page's own events, not a timed poll), for at most
        ``timeout`` seconds."""

        def waiting(ms: int) -> str:
            return f"""new Promise((resolve, reject) => {{
                let observer, timer;
                const look = () => {{
                    let v = null;
                    try {{ v = ({expression}); }} catch (e) {{ v = null; }}
                    if (!v) return false;
                    if (observer) observer.disconnect();
                    clearTimeout(timer);
                    resolve(v);
                    return true;
                }};
                if (look()) return;
                observer = new MutationObserver(look);
                observer.observe(document, {{subtree: true, childList: true, characterData: true, attributes: true}});
                timer = setTimeout(() => {{ observer.disconnect(); reject(new Error("timed out")); }}, {ms});
            }})"""

        deadline = time.monotonic() + timeout
        self.ws.settimeout(timeout + 30)
        try:
            # a navigation destroys the page's context and the waiting promise with it (the reply is an error,
            # no value): wait again, in the new page, until the deadline
            while (left := deadline - time.monotonic()) > 0:
                value = self.js(waiting(int(left * 1000)), await_promise=True)
                if value:
                    return value
        except ValueError:  # the promise's own deadline
            pass
        finally:
            self.ws.settimeout(60)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")

    def close(self):
        self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
