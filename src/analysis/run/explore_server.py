"""``r57 explore``: the scenario explorer (``notebooks/00_explore.ipynb``) as a standalone page, served by
Voila on this machine only, that only the person who started it can drive.

It listens on 127.0.0.1 only, with a fresh random token printed once in the address to open. Every path
answers 403 unless the ``Host`` and ``Origin`` headers are a loopback name with the server's port (DNS
rebinding, cross-origin websockets) and a browser's ``Sec-Fetch-Site`` does not say another site's page
sent it; the login cookie is ``SameSite=Strict`` and ``HttpOnly``, and ``/logout`` ends its session on the
server too; the page's Content-Security-Policy allows this server only; the kernel (``r57``) talks over IPC
sockets in a private temporary folder removed when the server stops.
Each page load starts a kernel: one that no page is connected to is shut down after ``idle_s`` seconds
without activity (jupyter_server's culler), so closed pages do not keep kernels alive.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Any

from analysis import paths  # i18n and secrets are imported where used: the CLI imports this module for its defaults
from analysis.errors import ParameterError

NOTEBOOK = "00_explore.ipynb"
HOST = "127.0.0.1"
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
PORT = 8866
IDLE_S = 300  # a kernel no page is connected to is shut down after this many idle seconds


# this server only ('self' covers its websocket); inline scripts and styles stay: Voila's page is made of them
PAGE_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def allowed_hosts(port: int) -> frozenset[str]:
    """The ``Host`` header values the server answers: a loopback name with its port."""
    return frozenset(f"{name}:{port}" for name in LOCAL_NAMES)


def refusal(host: str | None, origin: str | None, port: int, fetch_site: str | None = None) -> str | None:
    """Why a request with these ``Host``, ``Origin`` and ``Sec-Fetch-Site`` headers is refused, or None if it
    is allowed."""
    if (host or "").lower() not in allowed_hosts(port):
        return f"Host {host!r} is not this machine's explorer (allowed: {', '.join(sorted(allowed_hosts(port)))})"
    if origin is not None and origin.lower() not in {f"http://{host}" for host in allowed_hosts(port)}:
        return f"Origin {origin!r} is not this explorer's page"
    if fetch_site is not None and fetch_site.lower() not in ("none", "same-origin"):  # each page starts a kernel
        return f"Sec-Fetch-Site {fetch_site!r}: sent by another site's page; open the address `r57 explore` printed"
    return None


def _guarded(handler: type) -> type:
    """``handler`` with the Host and Origin allow-list checked first (and, on the page, :data:`PAGE_CSP`)."""
    from voila.handler import VoilaHandler

    page = issubclass(handler, VoilaHandler)

    class Guarded(handler):  # type: ignore[misc, valid-type]
        def prepare(self, *args: Any, **kwargs: Any) -> Any:
            port = self.settings["voila"].port
            headers = self.request.headers
            why = refusal(headers.get("Host"), headers.get("Origin"), port, headers.get("Sec-Fetch-Site"))
            if why is not None:
                self.settings["voila"].log.warning(
                    "r57 explore: refused %s %s: %s", self.request.method, self.request.path, why
                )
                # a plain answer: jupyter_server's own error page cannot render under Voila (a traceback)
                self.set_status(403)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                return self.finish(why + "\n")
            return super().prepare(*args, **kwargs)

        def check_origin(self, origin: str | None = None) -> bool:  # websockets: tornado asks this too
            return refusal(self.request.headers.get("Host"), origin, self.settings["voila"].port) is None

        def set_default_headers(self) -> None:
            super().set_default_headers()
            if page:
                self.set_header("Content-Security-Policy", PAGE_CSP)

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{handler.__name__}"
    return Guarded


def _logout_handler() -> type:
    """``/logout``: forgets the login and says so on a plain page (jupyter_server's own page needs a
    template Voila does not have, and answered 500)."""
    from jupyter_server.auth.decorator import allow_unauthenticated
    from jupyter_server.auth.logout import LogoutHandler

    class PlainLogout(LogoutHandler):
        @allow_unauthenticated
        def get(self) -> None:
            from analysis import i18n
            from analysis.run.explore import SIGNED_OUT, start_language

            self.identity_provider.clear_login_cookie(self)
            with i18n.language(start_language()):
                text = i18n.gettext(SIGNED_OUT)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(text + "\n")

    return PlainLogout


def _identity_provider_class() -> type:
    """Voila's token login with its cookie ``SameSite=Strict`` and ``HttpOnly``, naming a session the server
    keeps: ``/logout`` ends the session, so a copy of the cookie stops working too, not only in the browser."""
    import secrets

    from jupyter_server.auth.identity import PasswordIdentityProvider
    from traitlets import default

    class SessionIdentityProvider(PasswordIdentityProvider):
        _r57_sessions: set[str]

        @default("cookie_options")
        def _strict_cookie(self) -> dict[str, Any]:
            return {"samesite": "Strict", "httponly": True}

        def user_to_cookie(self, user: Any) -> str:
            session = secrets.token_urlsafe(24)
            self._r57_sessions = getattr(self, "_r57_sessions", set()) | {session}
            return json.dumps({**json.loads(super().user_to_cookie(user)), "session": session})

        def user_from_cookie(self, cookie_value: str) -> Any:
            if json.loads(cookie_value).get("session") not in getattr(self, "_r57_sessions", set()):
                return None  # ended by /logout, or from before the server started
            return super().user_from_cookie(cookie_value)

        def clear_login_cookie(self, handler: Any) -> None:
            value = handler.get_secure_cookie(self.get_cookie_name(handler), **self.get_secure_cookie_kwargs)
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                self._r57_sessions.discard(json.loads(value).get("session"))
            super().clear_login_cookie(handler)

    return SessionIdentityProvider


def voila_app_class() -> type:
    """Voila with the allow-list on every handler, sessions ended by a plain ``/logout`` and the address to
    open, token included, displayed."""
    from traitlets import default
    from voila.app import Voila

    class R57Voila(Voila):
        @default("identity_provider_class")
        def _session_identity(self) -> type:
            return _identity_provider_class()

        def init_handlers(self) -> list:
            return [
                (r, _guarded(_logout_handler() if r == "/logout" else h), *rest)
                for r, h, *rest in super().init_handlers()
            ]

        @property
        def display_url(self) -> str:
            return f"http://{HOST}:{self.port}/?token={self.identity_provider.token}"

    return R57Voila


def page_title() -> str:
    """The browser tab's title (Voila's is the file name): the explorer's heading, in the language it starts in,
    until the widgets show; then the page's template keeps it the heading, in the language the reader chose."""
    from analysis import i18n
    from analysis.run.explore import TITLE, start_language

    with i18n.language(start_language()):
        return i18n.gettext(TITLE)


def voila_argv(port: int, runtime: Path, idle_s: int = IDLE_S) -> list[str]:
    """Voila's command line for the explorer on ``port``, the kernel's IPC sockets in ``runtime``, a kernel no
    page is connected to shut down after ``idle_s`` idle seconds (checked every ``min(idle_s, 60)`` s)."""
    return [
        str(paths.NOTEBOOKS_DIR / NOTEBOOK),
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",  # the port asked for or none: the address printed is the one served
        "--no-browser",
        f"--VoilaConfiguration.resources={json.dumps({'metadata': {'name': page_title()}})}",  # the template's title
        "--NotebookClient.kernel_name=r57",
        "--KernelManager.transport=ipc",
        f"--KernelManager.ip={runtime / 'kernel'}",
        f"--MappingKernelManager.cull_idle_timeout={idle_s}",
        f"--MappingKernelManager.cull_interval={min(idle_s, 60)}",
        "--MappingKernelManager.cull_connected=False",  # a page left open keeps its kernel
    ]


def _check_port_free(port: int) -> None:
    """Refuse a port in use before Voila starts (it would only say that no port was found)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as tornado binds: TIME_WAIT is free
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise ParameterError(
                "port",
                f"{port} on {HOST} cannot be used: {exc.strerror}",
                "a free port: --port N (make explore EXPLORE_PORT=N)",
            ) from None


def serve(port: int = PORT, lang: str | None = None, idle_s: int = IDLE_S) -> int:
    """Run the explorer on ``port`` until stopped, starting in ``lang`` (default ``R57_LANG``, else English);
    a kernel no page is connected to is shut down after ``idle_s`` idle seconds."""
    import secrets

    from analysis import i18n
    from analysis.run.kernel import ensure_kernelspec

    if lang is not None:
        os.environ["R57_LANG"] = i18n.check_lang(lang)
    _check_port_free(port)
    ensure_kernelspec()
    runtime = Path(tempfile.mkdtemp(prefix="r57-explore-"))  # 0700: the kernel's sockets, nobody else's
    try:
        # the token goes in as a setting, not on a command line another user could read with ps
        voila_app_class().launch_instance(argv=voila_argv(port, runtime, idle_s), token=secrets.token_urlsafe(32))
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    return 0
