"""The signed-in workspace: the parts a session is made of, put together for the views.

- ``StaffSession`` (``staff_session.py``): sign-in, the token, the HTTP clients.
- ``CacheLane`` (``cache_lane.py``): the one thread on the cache file; every change it makes
  goes out once on ``sig_changed`` (a ``ChangeSet``).
- ``SyncEngine`` (``sync.py``) and ``Outbox`` (``outbox.py``): workers that do HTTP and hand
  what the backend answered to the lane.
- ``Sending`` (``sending.py``): the send journal and the user's writes to the outbox.
- ``Drafts``, ``Unread``, ``ChatHistory`` (messages, older ones, search): small parts on
  the lane, which the views use directly.
- ``open_cache`` (``cache_repair.py``): a damaged cache file, found at opening or during
  the session, is moved aside and rebuilt from the server; the outbox is kept.

The composition root (``desktop.app``) connects the signals here to the views.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.cache import Cache
from desktop.services.cache_errors import CacheDamagedError
from desktop.services.cache_lane import CacheLane
from desktop.services.cache_paths import CACHE_FILE
from desktop.services.cache_repair import (
    Repair,
    check_cache,
    damaged_copies,
    open_cache,
)
from desktop.services.changes import ChangeSet
from desktop.services.connection_status import ConnectionStatus
from desktop.services.credentials import TokenStore
from desktop.services.drafts import Drafts
from desktop.services.history import ChatHistory
from desktop.services.notices import NoticeBridge
from desktop.services.outbox import Outbox
from desktop.services.outbox_store import OutboxStore
from desktop.services.records import Chat, Me
from desktop.services.send_journal import JOURNAL_FOLDER, SendJournal
from desktop.services.sending import Sending
from desktop.services.settings import Settings
from desktop.services.staff_session import StaffSession
from desktop.services.sync import BATCH as SYNC_BATCH
from desktop.services.sync import SyncEngine
from desktop.services.tasks import TaskRunner
from desktop.services.unread import Unread, UnreadCounts

log = logging.getLogger(__name__)

ChatCallback = Callable[[Chat], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass(frozen=True)
class _Opened:
    me: Me | None
    problem: str
    repair: Repair | None = None


class Workspace(QObject):
    sig_changed = Signal(object)  # ChangeSet: everything the cache changed, once, in order
    sig_signed_in = Signal(dict)  # /me, with "colleagues" added
    sig_need_sign_in = Signal(str)  # why ("" when signed out by the user)
    sig_connection = Signal(str)  # the status line's words
    # The first sync of an empty cache (a first sign-in on this PC), when it takes more than
    # one answer: changes applied so far and in all; (-1, -1) when it is over.
    sig_first_sync = Signal(int, int)
    # Answers to what the views asked for: a chat's messages, older ones (oldest first), a
    # chat's draft.
    sig_messages = Signal(int, list)
    sig_older = Signal(int, list)
    sig_draft = Signal(int, str)
    # A message Send was pressed for that could not be kept (the disk is full): back to the
    # composer of that chat.
    sig_unsent = Signal(int, str)
    _sig_damaged = Signal()  # from the lane: the cache file is damaged

    def __init__(
        self,
        server: str,
        data_dir: Path,
        tasks: TaskRunner,
        notices: NoticeBridge,
        tokens: TokenStore | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        """``data_dir`` holds settings.json; ``cache_dir`` (by default ``data_dir``) the
        cache, which the app keeps per server (``cache_paths.server_cache_dir``)."""
        super().__init__()
        self.session = StaffSession(server, data_dir, tokens)
        self.cache_dir = cache_dir or data_dir
        self.sync_batch = SYNC_BATCH  # changes per sync answer
        self.remembers_sign_in = True  # False for the demo, which signs in by itself
        self._tasks = tasks
        self._notices = notices
        self._sync: SyncEngine | None = None
        self._outbox: Outbox | None = None
        self.lane = CacheLane(tasks, self.sig_changed.emit, self._sig_damaged.emit)
        self.drafts = Drafts(self.lane, self.sig_draft.emit)
        self.unread = Unread(self.lane, UnreadCounts())
        self.history = ChatHistory(
            self.lane, tasks, self.session, self.sig_messages.emit, self.sig_older.emit
        )
        # Beside the cache: what Send was pressed for until its outbox item is written.
        self._journal = SendJournal(self.cache_dir / JOURNAL_FOLDER)
        self.sending = Sending(
            self.lane, self._journal, lambda: self._outbox, notices, self._give_back
        )
        self._status = ConnectionStatus(self)
        self._status.sig_text.connect(self.sig_connection)
        self._status.sig_first_sync.connect(self.sig_first_sync)
        self._said_no_keyring = False
        # The cache opens on a worker; a sign-in asked for meanwhile waits for it (a second
        # open would make a second cache and a second sync of the same folder).
        self._opening = False
        self._sign_in_when_open: tuple[str, str] | None = None
        self._rebuilding = False
        self.sig_changed.connect(self._heard)
        self._sig_damaged.connect(self._rebuild)

    # ---- what the views read -------------------------------------------------------------------

    @property
    def server(self) -> str:
        return self.session.server

    @property
    def data_dir(self) -> Path:
        return self.session.data_dir

    @property
    def settings(self) -> Settings:
        return self.session.settings

    @property
    def me(self) -> Me | None:
        return self.session.me

    @property
    def is_open(self) -> bool:
        """The cache is open: chats, messages and drafts can be read."""
        return self.lane.is_open

    @property
    def offline(self) -> bool:
        """The backend cannot be reached just now (the status line says why)."""
        return self._status.state == "offline"

    @property
    def pending(self) -> int:
        """Outbox items the backend has not confirmed (as last reported)."""
        return self._status.pending

    # ---- start, sign in, stop --------------------------------------------------------------

    def open(self, email: str | None = None, password: str | None = None) -> None:
        """Open the cache and show what it holds, then sign in (stored token or the given
        credentials) and start syncing. Without either, asks for sign-in."""
        self._opening = True
        self._tasks.run(lambda: self._open(email, password), self._opened, self._open_failed)

    def _open(self, email: str | None, password: str | None) -> _Opened:
        """On a task worker: HTTP and the keyring here, the cache on the lane."""
        # Say at once if the server is unreachable or not PetsApp's, before anyone types a
        # password (and before a cache is made for a mistyped address).
        problem = self.session.prepare(checking=bool(email and password))
        if problem and not (self.cache_dir / CACHE_FILE).exists():
            return _Opened(None, problem)
        # Before anything else reads the cache: no draft is read and nothing is sent until
        # what was left in the send journal is in the outbox (and its draft gone).
        repair = self.lane.open(lambda: open_cache(self.cache_dir), self._replay_journal)
        try:
            self.lane.call(_as_opened)
        except CacheDamagedError:  # the first read found it: rebuilt before going on
            repair = self.lane.reopen_waiting(
                lambda: open_cache(self.cache_dir, suspect=True), self._reopened
            )
        me: Me | None = self.lane.call(lambda cache: cache.get("me"))
        if email and password and not problem:
            try:
                me = self._sign_in(email, password)
            except (ApiError, OfflineError) as exc:
                problem = str(exc)
        return _Opened(me, problem, repair)

    def _opened(self, opened: _Opened) -> None:
        self._opening = False
        if opened.repair is not None:
            self._tell(opened.repair)
        # After the queue is on screen: the whole file's integrity (a damaged one is
        # rebuilt like one found in use).
        self.lane.run(check_cache)
        asked, self._sign_in_when_open = self._sign_in_when_open, None
        if self.session.token and opened.me:
            self._became_signed_in(opened.me)
        elif asked is not None:  # the sign-in dialog was answered while the cache opened
            self.sign_in(*asked)
        else:
            self.sig_need_sign_in.emit(opened.problem)

    def _open_failed(self, error: BaseException) -> None:
        self._opening = False
        self._sign_in_when_open = None
        log.error("could not open the workspace", exc_info=error)
        self._notices.error(self.tr("PetsApp Desktop could not start: %s") % error)

    # ---- a damaged cache, a full disk ---------------------------------------------------------

    def _rebuild(self) -> None:
        """An operation found the cache damaged: the workers stop (their answers in flight
        are dropped), the file is moved aside and a fresh one filled from the server."""
        if self._rebuilding or self._opening:  # the opening rebuilds it itself
            return
        self._rebuilding = True
        was_syncing = self._sync is not None
        self._stop_workers(abandon=True)
        self.lane.reopen(
            lambda: open_cache(self.cache_dir, suspect=True),
            self._reopened,
            lambda repair: self._rebuilt(repair, was_syncing),
            self._open_failed,
        )

    def _reopened(self, cache: Cache) -> ChangeSet:
        """On the lane, first in the fresh cache: who is signed in, the send journal."""
        self.unread.counts.reload()
        me = self.session.me
        if me is not None and cache.get("me") is None:
            _store_me(cache, me["staff"]["id"], me)
        return self._replay_journal(cache) + _as_opened(cache)

    def _rebuilt(self, repair: Repair | None, was_syncing: bool) -> None:
        self._rebuilding = False
        self._tell(repair or Repair(True, False, (), 0, 0))
        if was_syncing and self.session.token:
            self._start_workers()

    def _tell(self, repair: Repair) -> None:
        """The one plain sentence about a repaired cache."""
        if repair.rebuilt:
            said = self.tr(
                "The local copy of your chats was damaged and is being rebuilt from the server."
            )
        else:
            said = self.tr(
                "The list of what is waiting to be sent on this computer was damaged; what "
                "could be read of it was kept."
            )
        if repair.kept:
            said += " " + self.tr("%n unsent messages were kept.", "", repair.kept)
        self._notices.info(said)

    def _give_back(self, chat_id: int, body: str) -> None:
        self.drafts.restore(chat_id, body)
        self.sig_unsent.emit(chat_id, body)

    def _replay_journal(self, cache: Cache) -> ChangeSet:
        me = (cache.get("me") or {}).get("staff", {}).get("id")
        outbox = Outbox(self.lane, self.session.new_client, me)  # writes only: never started
        return self.sending.replay_journal(cache, outbox)

    def sign_in(self, email: str, password: str) -> None:
        if self._opening:
            self._sign_in_when_open = (email, password)
            return
        if not self.lane.is_open:  # the server could not be checked when the workspace opened
            self.open(email, password)
            return
        self._tasks.run(
            lambda: self._sign_in(email, password),
            self._became_signed_in,
            lambda error: self.sig_need_sign_in.emit(str(error)),
        )

    def _sign_in(self, email: str, password: str) -> Me:
        """On a task worker."""
        staff_id = self.session.log_in(email, password)
        self.lane.call(lambda cache: self._wipe_unless_theirs(cache, staff_id))
        me = self.session.fetch_me()
        self.lane.call(lambda cache: _store_me(cache, staff_id, me))
        return me

    def _wipe_unless_theirs(self, cache: Cache, staff_id: int) -> ChangeSet:
        previous = cache.get("staff_id")
        if previous is None or previous == staff_id:
            return ChangeSet()
        return self._wipe(cache)  # another person's data never shows to the next one

    def _wipe(self, cache: Cache) -> ChangeSet:
        cache.wipe()
        for copy in damaged_copies(self.cache_dir):  # they hold chats too
            copy.unlink(missing_ok=True)
        self.unread.counts.forget()
        self._journal.wipe()
        return ChangeSet(replace_chats=True, pending=0)

    def _became_signed_in(self, me: Me) -> None:
        self.session.me = me
        self.sig_signed_in.emit(me)
        if (
            not self.session.tokens.persistent
            and not self._said_no_keyring
            and self.remembers_sign_in
        ):
            self._said_no_keyring = True
            self._notices.info(
                self.tr(
                    "This computer has no password keyring, so you will be asked to sign in "
                    "again the next time PetsApp starts."
                )
            )
        self._start_workers()

    def sign_out(self) -> None:
        """Shared practice PCs: the token and everything cached go. (The caller asks first
        when items are still pending; they are lost.)"""
        self._stop_workers(abandon=True)
        token = self.session.end()
        self.drafts.forget()
        # In order on the lane: a draft or outbox write queued before sign-out cannot land
        # after the wipe, and the workers' late answers are dropped (they were abandoned).
        self.lane.run(self._wipe, lambda _changes: self.sig_need_sign_in.emit(""))
        self._tasks.run(lambda: self.session.log_out(token))

    def shutdown(self) -> None:
        """The app quits, or another server's workspace replaces this one: the workers stop
        (not waited for) and the cache closes after what was queued for it."""
        self._stop_workers(abandon=False)
        self.lane.close()

    def _stop_workers(self, abandon: bool) -> None:
        sync, outbox, self._sync, self._outbox = self._sync, self._outbox, None, None
        if sync is not None:
            sync.stop()
        if outbox is not None:
            outbox.abandon() if abandon else outbox.stop()

    # ---- sync and outbox -----------------------------------------------------------------------

    def _start_workers(self) -> None:
        self._stop_workers(abandon=False)  # signed in again after the session ended
        self._sync = SyncEngine(
            self.session.new_client,
            self.lane,
            batch=self.sync_batch,
            unread=self.unread.counts,
            open_chat=lambda: self.unread.open_chat_id,
            parent=self,
        )
        self._sync.sig_started.connect(self._status.sync_started)
        self._sync.sig_state.connect(self._on_state)
        self._sync.sig_progress.connect(self._status.progress)
        self._sync.sig_signed_out.connect(self.sig_need_sign_in)
        self._sync.start()
        self._outbox = Outbox(
            self.lane, self.session.new_client, self.session.staff_id, self.sig_need_sign_in.emit
        )
        self._outbox.start()  # at start the outbox is tried at once

    def _on_state(self, state: str) -> None:
        if state == "online" and self._status.state != "online" and self._outbox is not None:
            self._outbox.kick()  # the backend is back: send what waited
        self._status.state_changed(state)

    def _heard(self, changes: ChangeSet) -> None:
        """What of a change set is the status line's and the notices'."""
        if changes.pending is not None:
            self._status.pending_changed(changes.pending)
        self.sending.tell(changes)

    # ---- new chats: straight to the backend (they need its answer) -----------------------------

    def start_sms_chat(
        self, clinic_id: int, phone: str, on_done: ChatCallback, on_refused: ErrorCallback
    ) -> None:
        self._new_chat(lambda client: client.start_sms_chat(clinic_id, phone), on_done, on_refused)

    def start_app_chat(
        self, clinic_id: int, owner_id: int, on_done: ChatCallback, on_refused: ErrorCallback
    ) -> None:
        self._new_chat(
            lambda client: client.start_app_chat(clinic_id, owner_id), on_done, on_refused
        )

    def demo_text_in(self, chat_id: int, body: str) -> None:
        """The demo only: the chat's owner writes in (it comes back by the sync feed)."""

        def failed(error: BaseException) -> None:
            self._notices.error(self.tr("The demo could not text in: %s") % error)

        self._tasks.run(lambda: self.session.client().demo_text_in(chat_id, body), None, failed)

    def _new_chat(
        self,
        call: Callable[[ApiClient], Chat],
        on_done: ChatCallback,
        on_refused: ErrorCallback,
    ) -> None:
        def work() -> Chat:  # on a task worker: HTTP here, the cache on the lane
            chat = call(self.session.client())
            self.lane.call(lambda cache: ChangeSet(chats=(chat,) if cache.store_chat(chat) else ()))
            return chat

        self._tasks.run(work, on_done, on_refused)


def _as_opened(cache: Cache) -> ChangeSet:
    """What the views show of a cache just opened: the queue, and how much is unsent."""
    return ChangeSet(
        chats=tuple(cache.chats()), replace_chats=True, pending=OutboxStore(cache).count()
    )


def _store_me(cache: Cache, staff_id: int, me: Me) -> None:
    cache.put("staff_id", staff_id)
    cache.put("me", me)
