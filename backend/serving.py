"""Run an ASGI app with uvicorn on a background thread (demo, tests, embedded use)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class _Server(uvicorn.Server):
    """uvicorn's server, telling the app a stop is coming before it drains connections
    (so long-polls answer at once instead of being cancelled mid-request)."""

    def __init__(self, config: uvicorn.Config, app: Any) -> None:
        super().__init__(config)
        self._before_exit = list(getattr(getattr(app, "state", None), "before_exit", []))

    def announce_exit(self) -> None:
        for callback in self._before_exit:
            callback()

    def handle_exit(self, sig: int, frame: Any) -> None:
        self.announce_exit()
        super().handle_exit(sig, frame)


def serve_forever(app: Any, host: str, port: int) -> None:
    """Serve in the foreground until Ctrl+C or SIGTERM (``petsapp-backend serve``)."""
    config = uvicorn.Config(app, host=host, port=port, timeout_graceful_shutdown=5)
    _Server(config, app).run()


class BackgroundServer:
    """An ASGI app served by uvicorn on its own thread until :meth:`stop`.

    ``port=0`` picks a free port; :attr:`url` is known once :meth:`start` returns.
    """

    def __init__(
        self, app: Any, host: str = "127.0.0.1", port: int = 0, **uvicorn_options: Any
    ) -> None:
        """``uvicorn_options`` go to ``uvicorn.Config`` (e.g. ``ssl_certfile``)."""
        self.host = host
        self.port = port or free_port(host)
        config = uvicorn.Config(
            app,
            host=host,
            port=self.port,
            log_level="warning",
            # The host app's logging stays as it is; and uvicorn's own set-up asks
            # sys.stdout.isatty(), which fails in a windowed app that has no stdout.
            log_config=None,
            access_log=False,
            lifespan="on",
            # Long-polls hold connections; do not let shutdown wait on them forever.
            timeout_graceful_shutdown=1,
            **uvicorn_options,
        )
        self._server = _Server(config, app)
        self._thread = threading.Thread(
            target=self._server.run, name=f"server:{self.port}", daemon=True
        )

        self._scheme = "https" if uvicorn_options.get("ssl_certfile") else "http"

    @property
    def url(self) -> str:
        return f"{self._scheme}://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"server on port {self.port} failed to start")
            if time.monotonic() > deadline:
                raise TimeoutError(f"server on port {self.port} did not start in {timeout} s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._server.announce_exit()
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
