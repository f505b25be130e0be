"""Cross-process wake-ups on PostgreSQL: LISTEN for the feed's NOTIFYs.

Several backend processes can serve one database. A change committed by one must wake the
long-polls held by the others: each process keeps one connection LISTENing on the channel
and hands every notification to its :class:`ChangeNotifier`.
"""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy.engine import make_url

from backend.domain.changes import PG_CHANNEL, ChangeNotifier

log = logging.getLogger(__name__)


def conninfo(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg wants it."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PgChangeListener:
    def __init__(self, database_url: str, notifier: ChangeNotifier) -> None:
        self._conninfo = conninfo(database_url)
        self._notifier = notifier
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {PG_CHANNEL}")
                    # Notifications sent while we were not listening are lost: wake every
                    # waiter once so each re-reads the feed itself.
                    self._notifier.notify_all()
                    delay = 0.5
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=0.25):
                            if notice.payload.isdigit():
                                self._notifier.notify(int(notice.payload))
            except psycopg.Error as exc:
                log.warning("LISTEN connection lost (%s); retrying", type(exc).__name__)
                self._stop.wait(delay)
                delay = min(delay * 2, 10.0)
