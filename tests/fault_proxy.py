"""A TCP proxy on loopback that breaks connections on purpose: the practice's broadband.

Per new connection it picks a fault by the configured odds: pass the bytes through, refuse
(close at once), reset (RST), answer ``503`` itself, delay the answers by
``delay_seconds`` (the request reaches the backend at once; what comes back is that much
late, so a client whose read timeout is shorter gives up on an answer that was coming),
or lose the answer (the request reaches the backend, the reply never comes back).
``offline`` makes every connection refused, as when the line is down. ``max_lifetime``
cuts the others: a passed connection at a random moment, a delayed one only after its
first late answer got through (cut sooner, no delay would ever be seen).
"""

from __future__ import annotations

import asyncio
import random
import socket
import struct
import threading
from dataclasses import dataclass, field

FAULTS = ("refuse", "reset", "http503", "delay", "lose_answer")


@dataclass
class Odds:
    refuse: float = 0.0
    reset: float = 0.0
    http503: float = 0.0
    delay: float = 0.0
    lose_answer: float = 0.0
    delay_seconds: float = 2.0
    """How late a delayed answer is; read as each connection opens, so a test can set it
    (``proxy.odds.delay_seconds = 25``) between requests."""
    max_lifetime: float = 0.0
    """If set, passed connections are cut after a random time up to this many seconds, and
    delayed ones that long after their first answer (clients keep connections open, so
    faults picked per connection would be rare)."""


@dataclass
class FaultProxy:
    target_port: int
    odds: Odds = field(default_factory=Odds)
    offline: bool = False
    seed: int = 1
    counts: dict[str, int] = field(default_factory=dict)

    def start(self) -> FaultProxy:
        self._random = random.Random(self.seed)
        self._open: set[asyncio.Task[None]] = set()
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        async def close_everything() -> None:
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close_everything(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        self._loop.run_forever()

    def _pick(self) -> str:
        if self.offline:
            return "refuse"
        roll = self._random.random()
        for fault in FAULTS:
            chance = getattr(self.odds, fault)
            if roll < chance:
                return fault
            roll -= chance
        return "pass"

    def go_offline(self) -> None:
        """The line goes down: new connections are refused and the open ones cut (a client
        keeps its connections open, so ``offline`` alone would not reach it)."""
        self.offline = True

        async def cut() -> None:
            for task in list(self._open):
                task.cancel()

        asyncio.run_coroutine_threadsafe(cut(), self._loop).result(10)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._open.add(task)
        try:
            await self._connection(reader, writer)
        except asyncio.CancelledError:  # the proxy stops: no error for asyncio to log
            writer.close()
        finally:
            self._open.discard(task)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        fault = self._pick()
        self.counts[fault] = self.counts.get(fault, 0) + 1
        if fault in {"refuse", "reset"}:
            if fault == "reset":  # SO_LINGER 0: the close sends RST
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.close()
            return
        if fault == "http503":
            await reader.read(65536)
            writer.write(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                b"Connection: close\r\n\r\n"
            )
            await writer.drain()
            writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            writer.close()
            return
        # Read per connection, so a test may change it between requests.
        delay = self.odds.delay_seconds if fault == "delay" else 0.0
        answered = asyncio.Event()
        pipes = asyncio.gather(
            self._pipe(reader, upstream_writer),
            self._pipe(
                upstream_reader, writer, delay, drop=fault == "lose_answer", delivered=answered
            ),
            return_exceptions=True,
        )
        # A lost answer is its own cut, once the request got through; a cut before it would
        # make it a plain drop.
        if fault == "lose_answer" or not self.odds.max_lifetime:
            await pipes
            return
        if fault == "delay":  # the clock starts once the late answer is through, or a cut
            first = asyncio.ensure_future(answered.wait())  # would hide the delay
            await asyncio.wait({first, pipes}, return_when=asyncio.FIRST_COMPLETED)
            first.cancel()
            if pipes.done():
                return
        lifetime = self._random.uniform(0.0, self.odds.max_lifetime)
        try:
            await asyncio.wait_for(pipes, lifetime)
        except TimeoutError:  # the line drops, wherever the request or answer was
            self.counts["cut"] = self.counts.get("cut", 0) + 1
            writer.close()
            upstream_writer.close()

    async def _pipe(
        self,
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        delay: float = 0.0,
        drop: bool = False,
        delivered: asyncio.Event | None = None,
    ) -> None:
        """Copies until either side closes. Each chunk (and the close) leaves ``delay``
        seconds after it came in: a line with latency, so an answer in many chunks is late
        by ``delay``, not by ``delay`` per chunk."""
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def receive() -> None:
            try:
                while chunk := await source.read(65536):
                    chunks.put_nowait((loop.time() + delay, chunk))
            except OSError:
                pass
            finally:
                chunks.put_nowait((loop.time() + delay, b""))

        receiving = asyncio.ensure_future(receive())
        try:
            while True:
                due, chunk = await chunks.get()
                if not chunk or drop:  # drop: the backend answered; it is lost on the way
                    break
                await asyncio.sleep(due - loop.time())
                sink.write(chunk)
                await sink.drain()
                if delivered is not None:
                    delivered.set()
        finally:
            receiving.cancel()
            sink.close()
