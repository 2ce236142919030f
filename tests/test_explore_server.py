"""The explorer's server (`r57 explore`, what `make explore` runs) drivable only by its user: a real Voila
server on loopback, asked as a DNS-rebinding page would (a foreign Host with a matching Origin), as a
page elsewhere would (a foreign Origin), without the token, and as the user does (the token, from
localhost or 127.0.0.1): for the page, the kernel API and the kernel websocket."""

from __future__ import annotations

import http.client
import json
import re
import socket
import uuid
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest
import websocket

from analysis import cli, paths
from analysis.run import explore_server

EVIL = "rebind.example"


def test_only_loopback_names_with_the_servers_port_are_allowed():
    assert explore_server.allowed_hosts(8866) == {"127.0.0.1:8866", "localhost:8866", "[::1]:8866"}
    ok = explore_server.refusal
    assert ok("127.0.0.1:8866", None, 8866) is None
    assert ok("LOCALHOST:8866", "http://localhost:8866", 8866) is None
    assert ok("[::1]:8866", "http://127.0.0.1:8866", 8866) is None  # the page may be opened by either name
    assert "Host 'rebind.example:8866'" in ok(f"{EVIL}:8866", f"http://{EVIL}:8866", 8866)
    assert "Host '127.0.0.1:9999'" in ok("127.0.0.1:9999", None, 8866)  # another port: another server
    assert "Host '127.0.0.1'" in ok("127.0.0.1", None, 8866)  # no port
    assert "Host None" in ok(None, None, 8866)
    assert "Origin 'http://rebind.example'" in ok("127.0.0.1:8866", f"http://{EVIL}", 8866)
    assert "Origin 'https://127.0.0.1:8866'" in ok("127.0.0.1:8866", "https://127.0.0.1:8866", 8866)
    assert "Origin 'null'" in ok("127.0.0.1:8866", "null", 8866)  # a sandboxed frame or a file: page
    for own in (None, "none", "same-origin"):  # a client that sends none, an address typed, the page's own
        assert ok("127.0.0.1:8866", None, 8866, own) is None
    for other in ("cross-site", "same-site"):  # a page elsewhere, or on another port of this machine
        assert f"Sec-Fetch-Site {other!r}" in ok("127.0.0.1:8866", None, 8866, other)


@pytest.mark.parametrize("argv", [["explore", "--port", "80"], ["explore", "--port", "x"], ["explore", "--lang", "fr"]])
def test_a_bad_port_or_language_is_refused_in_one_line(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("r57 explore: error: argument --") and "Traceback" not in err


def test_a_port_in_use_is_refused_before_voila_starts(capsys):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        assert cli.main(["explore", "--port", str(port)]) == 2
    assert capsys.readouterr().err == (
        f"r57: invalid parameter: parameter 'port': {port} on 127.0.0.1 cannot be used: Address already in use "
        "(allowed: a free port: --port N (make explore EXPLORE_PORT=N))\n"
    )


def get(
    port: int,
    path: str,
    host: str | None = None,
    origin: str | None = None,
    cookie: str | None = None,
    fetch_site: str | None = None,
):
    """(status, headers, body) of a GET to the server with exactly these Host, Origin (and a browser's
    Sec-Fetch-Site) headers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": host or f"127.0.0.1:{port}"}
    if origin:
        headers["Origin"] = origin
    if cookie:
        headers["Cookie"] = cookie
    if fetch_site:
        headers["Sec-Fetch-Site"] = fetch_site
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", "replace")
    conn.close()
    return resp.status, resp, body


def channels(port: int, kernel: str, token: str | None, host: str | None = None, origin: str | None = None):
    """A websocket to the kernel's channels; returns the open socket or the HTTP status it was refused with."""
    url = f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels" + (f"?token={token}" if token else "")
    kw = {"host": host} if host else {}
    try:
        return websocket.create_connection(url, timeout=60, origin=origin, **kw)
    except websocket.WebSocketBadStatusException as exc:
        return exc.status_code


@pytest.mark.notebook
def test_a_foreign_host_or_origin_or_no_token_is_refused_and_the_user_gets_the_explorer(voila):
    port, token = voila.port, voila.token
    assert sum(token in line for line in voila.log) == 1  # printed once, in the address to open
    # the page: a rebinding page's request (its own name as Host, its own Origin) is refused even
    # with the token; without the token the page asks for it and shows nothing of the explorer
    status, _, body = get(port, f"/?token={token}", host=f"{EVIL}:{port}", origin=f"http://{EVIL}:{port}")
    assert status == 403 and "kernelId" not in body
    status, resp, body = get(port, "/")
    assert status == 302 and resp.getheader("Location").startswith("/login") and "kernelId" not in body
    status, _, body = get(port, "/?token=not-the-token")
    assert status == 302 and "kernelId" not in body
    # the user's request: the page, with the kernel it started
    status, resp, body = get(port, f"/?token={token}", host=f"localhost:{port}")
    assert status == 200
    # it may load from and connect to this server only (the template's CDN icon font is not fetched)
    assert resp.getheader("Content-Security-Policy") == explore_server.PAGE_CSP
    assert "cdn.jsdelivr.net" not in body and "https:" not in explore_server.PAGE_CSP  # no CDN named, none allowed
    assert "<title>R&amp;D path explorer: what reaching the target takes</title>" in body  # not 00_explore
    kernel = re.search(r'"kernelId": *"([0-9a-f-]{36})"', body).group(1)
    cookie = resp.getheader("Set-Cookie").split(";")[0]  # the login the browser keeps
    # the kernel API
    assert get(port, f"/api/kernels/{kernel}", host=f"{EVIL}:{port}", origin=f"http://{EVIL}:{port}")[0] == 403
    assert get(port, f"/api/kernels/{kernel}", host=f"{EVIL}:{port}", cookie=cookie)[0] == 403
    assert get(port, f"/api/kernels/{kernel}")[0] == 403  # no token, no cookie
    assert get(port, "/api/kernels")[0] == get(port, "/api/kernels/abc/channels")[0] == 302  # no kernel: the login
    status, _, body = get(port, f"/api/kernels/{kernel}?token={token}")
    assert status == 200 and json.loads(body)["id"] == kernel
    # the kernel's websocket (where widget messages go): every refused upgrade is a 403
    assert channels(port, kernel, token, host=f"{EVIL}:{port}", origin=f"http://{EVIL}:{port}") == 403
    assert channels(port, kernel, token, origin=f"http://{EVIL}") == 403  # a page elsewhere, token and all
    assert channels(port, kernel, None) == 403
    assert channels(port, kernel, "not-the-token") == 403
    ws = channels(port, kernel, token, host=f"localhost:{port}", origin=f"http://localhost:{port}")
    assert not isinstance(ws, int), ws
    try:  # and it reaches the kernel
        msg_id = uuid.uuid4().hex
        ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "kernel_info_request",
                        "username": "test",
                        "session": uuid.uuid4().hex,
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {},
                    "channel": "shell",
                }
            )
        )
        while True:
            reply = json.loads(ws.recv())
            if reply.get("parent_header", {}).get("msg_id") == msg_id and reply["channel"] == "shell":
                break
        assert reply["msg_type"] == "kernel_info_reply" and reply["content"]["status"] == "ok"
    finally:
        ws.close()
    refused = [line for line in voila.log if "r57 explore: refused" in line]
    assert refused and all(EVIL in line or "Origin" in line for line in refused)


def test_make_explore_runs_r57_explore_with_the_settings_the_tests_use():
    make = (paths.PROJECT_ROOT / "Makefile").read_text()
    rule = make[make.index("\nexplore:") :].split("\n\n")[0]
    assert "$(BIN)/r57 explore $(if $(EXPLORE_PORT),--port=$(EXPLORE_PORT))" in rule  # voila_helper starts it too
    assert str(explore_server.PORT) not in make  # the port is r57's default unless EXPLORE_PORT names another
    argv = explore_server.voila_argv(8866, paths.PROJECT_ROOT / "runtime")
    assert argv[0] == str(paths.NOTEBOOKS_DIR / "00_explore.ipynb")
    for arg in (
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--no-browser",
        "--NotebookClient.kernel_name=r57",
        "--KernelManager.transport=ipc",
        f"--KernelManager.ip={paths.PROJECT_ROOT / 'runtime' / 'kernel'}",
    ):
        assert arg in argv, arg


def test_the_tab_is_titled_in_the_language_the_explorer_starts_in(monkeypatch):
    monkeypatch.setenv("R57_LANG", "vi")
    argv = explore_server.voila_argv(8866, paths.PROJECT_ROOT / "runtime")
    title = {"metadata": {"name": "Công cụ khám phá lộ trình R&D: cần gì để đạt mục tiêu"}}
    assert f"--VoilaConfiguration.resources={json.dumps(title)}" in argv


def test_logout_signs_out_on_a_plain_page_and_a_refusal_is_plain_too(voila):
    from analysis.run.explore import SIGNED_OUT

    start = len(voila.log)
    status, resp, body = get(voila.port, "/logout")
    assert (status, resp.getheader("Content-Type"), body) == (200, "text/plain; charset=utf-8", SIGNED_OUT + "\n")
    login = [c for c in resp.headers.get_all("Set-Cookie") if c.startswith("username-")]
    expires = [parsedate_to_datetime(re.search(r"expires=([^;]+)", c).group(1)) for c in login]
    assert login and all('=""' in c for c in login) and max(expires) < datetime.now(UTC), login  # forgotten
    status, resp, body = get(voila.port, "/logout", host=f"{EVIL}:{voila.port}")
    assert status == 403 and body.startswith(f"Host '{EVIL}:{voila.port}' is not this machine's explorer")
    voila.wait_for("403 GET /logout", 60)
    assert not any("Traceback" in line or "500 GET" in line for line in voila.log[start:]), voila.log[start:]


@pytest.mark.notebook
def test_the_login_cookie_is_strict_a_cross_site_page_starts_no_kernel_and_logout_ends_the_session(voila):
    """A GET from another site's page with the login cookie got 200 and started a kernel; /logout only told
    the browser to forget the cookie, so a copy of it kept working until the server stopped."""
    port, token = voila.port, voila.token
    status, resp, body = get(port, f"/?token={token}")
    assert status == 200
    login = next(c for c in resp.headers.get_all("Set-Cookie") if c.startswith("username-"))
    assert {"samesite=strict", "httponly"} <= {part.strip().lower() for part in login.split(";")}, login
    cookie, kernel = login.split(";")[0], re.search(r'"kernelId": *"([0-9a-f-]{36})"', body).group(1)
    start = len(voila.log)
    for site in ("cross-site", "same-site"):
        status, _, body = get(port, "/", cookie=cookie, fetch_site=site)
        assert status == 403 and "kernelId" not in body and f"Sec-Fetch-Site {site!r}" in body
    assert get(port, f"/?token={token}", fetch_site="none")[0] == 200  # the user's next page: one kernel
    with voila.printed:  # its line comes after any the refused requests would have printed
        voila.printed.wait_for(lambda: any("Kernel started" in line for line in voila.log[start:]), 120)
    assert sum("Kernel started" in line for line in voila.log[start:]) == 1, voila.log[start:]
    for site in (None, "none", "same-origin"):  # the user's own requests, with the cookie alone
        assert get(port, f"/api/kernels/{kernel}", cookie=cookie, fetch_site=site)[0] == 200
    assert get(port, "/logout", cookie=cookie)[0] == 200
    assert get(port, f"/api/kernels/{kernel}", cookie=cookie)[0] == 403  # the copied cookie no longer logs in
    status, resp, body = get(port, "/", cookie=cookie, fetch_site="none")
    assert status == 302 and resp.getheader("Location").startswith("/login") and "kernelId" not in body


@pytest.mark.notebook
def test_a_kernel_no_page_is_connected_to_is_shut_down_when_idle_and_a_connected_one_is_kept():
    from voila_helper import explorer_server
    from waiting import processes_mentioning, wait_exit

    with explorer_server(idle_s=10) as server:

        def page_kernel() -> str:
            status, _, body = get(server.port, f"/?token={server.token}")
            assert status == 200
            return re.search(r'"kernelId": *"([0-9a-f-]{36})"', body).group(1)

        def kernel_status(kernel: str) -> int:
            return get(server.port, f"/api/kernels/{kernel}?token={server.token}")[0]

        def shut_down(kernel: str, pids: list[int]) -> None:  # waited on as events: a line, then the exit
            server.wait_for(f"({kernel}) with 0 connections", 180)  # jupyter_server's culler says so
            server.wait_for(f"Kernel shutdown: {kernel}", 60)  # and shuts it down:
            wait_exit(pids, 60)  # its process ends (a pidfd)
            assert processes_mentioning(kernel) == []

        kept = page_kernel()
        kept_pids = processes_mentioning(kept)  # the kernel's command line names its connection file, by id
        ws = channels(
            server.port, kept, server.token, host=f"localhost:{server.port}", origin=f"http://localhost:{server.port}"
        )
        assert not isinstance(ws, int), ws
        try:
            left = page_kernel()  # a page whose websocket never opened (or a page closed)
            left_pids = processes_mentioning(left)
            assert left_pids and kept_pids
            shut_down(left, left_pids)
            assert kernel_status(kept) == 200 and processes_mentioning(kept)  # idle as long, but its page is connected
        finally:
            ws.close()
        shut_down(kept, kept_pids)  # its page closed: it goes too
        assert kernel_status(left) == 404  # gone from the server's kernels too (removed a whole idle wait ago)
