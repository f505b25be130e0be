"""The signed-in workspace: the parts a session is made of, put together for the views.

- ``StaffSession`` (``staff_session.py``): sign-in, the token, the HTTP clients.
- ``CacheLane`` (``cache_lane.py``): the one thread on the cache file; every change it makes
  goes out once on ``sig_changed`` (a ``ChangeSet``).
- ``SyncEngine`` (``sync.py``) and ``Outbox`` (``outbox.py``): workers that do HTTP and hand
  what the backend answered to the lane.
- ``Drafts``, ``UnreadCounts``, the send journal, search: small parts on the lane.

The composition root (``desktop.app``) connects the signals here to the views.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.cache import Cache, CacheTooNewError
from desktop.services.cache_lane import CacheLane
from desktop.services.cache_paths import CACHE_FILE
from desktop.services.changes import ChangeSet, Refusal
from desktop.services.connection_status import ConnectionStatus
from desktop.services.credentials import TokenStore
from desktop.services.drafts import Drafts
from desktop.services.notices import NoticeBridge
from desktop.services.outbox import Outbox
from desktop.services.send_journal import JOURNAL_FOLDER, JournalEntry, SendJournal
from desktop.services.settings import Settings
from desktop.services.staff_session import StaffSession
from desktop.services.sync import BATCH as SYNC_BATCH
from desktop.services.sync import SyncEngine
from desktop.services.tasks import TaskRunner
from desktop.services.unread import UnreadCounts

log = logging.getLogger(__name__)

ChatCallback = Callable[[dict[str, Any]], None]
ErrorCallback = Callable[[BaseException], None]


@dataclass(frozen=True)
class _Opened:
    me: dict[str, Any] | None
    problem: str


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
        self.open_chat_id: int | None = None
        self._tasks = tasks
        self._notices = notices
        self.lane = CacheLane(tasks, self.sig_changed.emit)
        self.drafts = Drafts(self.lane, self.sig_draft.emit)
        self._unread = UnreadCounts()
        # Beside the cache: what Send was pressed for until its outbox item is written.
        self._journal = SendJournal(self.cache_dir / JOURNAL_FOLDER)
        self._sync: SyncEngine | None = None
        self._outbox: Outbox | None = None
        self._status = ConnectionStatus(self)
        self._status.sig_text.connect(self.sig_connection)
        self._status.sig_first_sync.connect(self.sig_first_sync)
        self._said_no_keyring = False
        # The cache opens on a worker; a sign-in asked for meanwhile waits for it (a second
        # open would make a second cache and a second sync of the same folder).
        self._opening = False
        self._sign_in_when_open: tuple[str, str] | None = None
        self.sig_changed.connect(self._heard)

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
    def me(self) -> dict[str, Any] | None:
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

    @property
    def can_send(self) -> bool:
        """Signed in this session, so Send has an outbox to write to."""
        return self._outbox is not None

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
        self.lane.open(lambda: Cache(self.cache_dir))
        # Before anything else reads the cache: no draft is read and nothing is sent until
        # what was left in the send journal is in the outbox (and its draft gone).
        self.lane.call(self._replay_journal)
        self.lane.call(lambda cache: ChangeSet(chats=tuple(cache.chats()), replace_chats=True))
        me: dict[str, Any] | None = self.lane.call(lambda cache: cache.get("me"))
        if email and password and not problem:
            try:
                me = self._sign_in(email, password)
            except (ApiError, OfflineError) as exc:
                problem = str(exc)
        return _Opened(me, problem)

    def _opened(self, opened: _Opened) -> None:
        self._opening = False
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
        if isinstance(error, CacheTooNewError):
            self._notices.error(str(error))
        else:
            log.error("could not open the workspace", exc_info=error)
            self._notices.error(self.tr("PetsApp Desktop could not start: %s") % error)

    def _replay_journal(self, cache: Cache) -> ChangeSet:
        """Messages Send was pressed for in an earlier run whose outbox item was perhaps
        never written (the app was killed, or the write failed): into the outbox now, in
        the order pressed, each once."""
        changes = ChangeSet()
        entries = self._journal.entries()
        if not entries:
            return changes
        me = (cache.get("me") or {}).get("staff", {}).get("id")
        outbox = Outbox(self.lane, self.session.new_client, me)  # writes only: never started
        for entry in entries:
            written = outbox.write_journalled(cache, entry)
            if written is not None:
                changes += written
            self._journal.remove(entry)
        log.info("send journal: %d left over, %d written", len(entries), len(changes.messages))
        return changes

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

    def _sign_in(self, email: str, password: str) -> dict[str, Any]:
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
        self._unread.forget()
        self._journal.wipe()
        return ChangeSet(replace_chats=True, pending=0)

    def _became_signed_in(self, me: dict[str, Any]) -> None:
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
            unread=self._unread,
            open_chat=lambda: self.open_chat_id,
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
        for error in changes.not_sent:
            self._notices.error(self.tr("A message was not sent: %s") % error)
        for refusal in changes.refused:
            self._notices.error(self._refusal_text(refusal))

    def _refusal_text(self, refused: Refusal) -> str:
        """What did not happen and why; a hand-off's note is repeated, so it is not lost."""
        if refused.kind == "handoff":
            return (
                self.tr("The hand-off was not done: %1 Your note: “%2”")
                .replace("%1", refused.error)
                .replace("%2", str(refused.payload.get("note", "")))
            )
        if refused.kind == "status" and refused.payload.get("status") == "closed":
            return self.tr("The chat was not closed: %s") % refused.error
        if refused.kind == "status":
            return self.tr("The chat was not reopened: %s") % refused.error
        return self.tr("The new names were not saved: %s") % refused.error

    # ---- reading -------------------------------------------------------------------------------

    def load_messages(self, chat_id: int) -> None:
        self.lane.run(
            lambda cache: cache.messages(chat_id),
            lambda rows: self.sig_messages.emit(chat_id, rows),
        )

    def load_older(self, chat_id: int, oldest: dict[str, Any], page: int = 100) -> None:
        """Messages older than ``oldest``: from the cache, else from the backend's history
        (cached for next time). Answers with ``sig_older`` (maybe an empty list)."""
        before = (str(oldest.get("created_at") or ""), str(oldest.get("key") or ""))

        def read(cache: Cache) -> list[dict[str, Any]]:
            return cache.messages(chat_id, page, before=before)

        def work() -> list[dict[str, Any]]:  # on a task worker: HTTP here, the cache on the lane
            rows = self.lane.call(read)
            if len(rows) < page and oldest.get("id"):
                try:
                    fetched = self.session.client().history(chat_id, oldest["id"], page)
                except (ApiError, OfflineError):
                    return rows  # offline: what is cached
                rows = self.lane.call(lambda cache: _store_history(cache, fetched, read))
            return rows

        self._tasks.run(work, lambda rows: self.sig_older.emit(chat_id, rows))

    def search(self, query: str, on_found: Callable[[str, list[int]], None]) -> None:
        """The chats with a message matching ``query``, from the cache's full-text index
        (works offline); ``on_found(query, chat_ids)`` on the GUI thread. The queue matches
        names and numbers itself."""
        if not self.lane.is_open:
            on_found(query, [])
            return

        def failed(error: BaseException) -> None:
            log.warning("search failed: %s", type(error).__name__)  # no search text in logs
            on_found(query, [])

        self.lane.run(
            lambda cache: cache.search_message_chats(query),
            lambda ids: on_found(query, ids),
            failed,
        )

    # ---- unread --------------------------------------------------------------------------------

    def chat_opened(self, chat_id: int) -> None:
        self.open_chat_id = chat_id
        self.lane.run(lambda cache: self._read(cache, chat_id))

    def _read(self, cache: Cache, chat_id: int) -> ChangeSet:
        self._unread.read(cache, chat_id)
        return ChangeSet(unread={chat_id: 0})

    def mark_unread(self, chat_id: int, unread: bool) -> None:
        """The queue's "Mark as unread" (the badge shows until the chat is opened; kept
        across restarts with the counts) and "Mark as read"."""
        if not unread:
            self.lane.run(lambda cache: self._read(cache, chat_id))
            return
        self.lane.run(
            lambda cache: ChangeSet(unread={chat_id: self._unread.mark_unread(cache, chat_id)})
        )

    # ---- drafts --------------------------------------------------------------------------------

    def load_draft(self, chat_id: int) -> None:
        self.drafts.load(chat_id)

    def save_draft(self, chat_id: int, text: str) -> None:
        self.drafts.save(chat_id, text)

    # ---- what the user does: through the outbox ------------------------------------------------
    # Messages, hand-offs, detail edits and closing go through the outbox: written to the cache
    # at once (shown as pending), sent when the backend is reachable, never twice.

    def send_message(self, chat_id: int, body: str) -> None:
        """On the GUI thread, at the click: the message is on disk (the send journal) when
        this returns, so the composer may forget it; the outbox item (and the draft's
        removal) follow on the lane. Raises ``OSError`` when the journal cannot be
        written: the caller keeps the text."""
        outbox = self._require_outbox()
        entry = self._journal.write(chat_id, body)
        self.drafts.sent(chat_id)

        def failed(error: BaseException) -> None:
            # It stays in the journal, so the next start writes it to the outbox. Only the
            # kind of error is logged: a database error quotes the statement's values.
            log.error("a sent message could not be written to the outbox: %s", type(error).__name__)
            self._notices.error(
                self.tr(
                    "A message could not be saved for sending. It is kept on this computer "
                    "and sent when PetsApp Desktop starts again."
                )
            )

        self.lane.run(lambda cache: self._write_sent(cache, outbox, entry), None, failed)

    def _write_sent(self, cache: Cache, captured: Outbox, entry: JournalEntry) -> ChangeSet:
        # The outbox of now: a sign-in since the click started another one, whose worker
        # is the one to wake.
        outbox = self._outbox or captured
        changes = outbox.write_message(cache, entry.chat_id, entry.body, entry.client_id)
        self._journal.remove(entry)  # the outbox has it: a kill from here on loses nothing
        return changes

    def update_details(
        self, chat_id: int, owner_name: str, pet_name: str, on_written: Callable[[], None]
    ) -> None:
        outbox = self._require_outbox()
        self.lane.run(
            lambda cache: outbox.write_details(cache, chat_id, owner_name, pet_name),
            lambda _: on_written(),
        )

    def hand_off(
        self, chat_id: int, to_staff_id: int, note: str, on_written: Callable[[], None]
    ) -> None:
        outbox = self._require_outbox()
        self.lane.run(
            lambda cache: outbox.write_handoff(cache, chat_id, to_staff_id, note),
            lambda _: on_written(),
        )

    def set_status(self, chat_id: int, status: str) -> None:
        """Close (``"closed"``) or reopen (``"open"``): through the outbox, so it also
        works offline and happens in order with what was written before it."""
        outbox = self._require_outbox()
        self.lane.run(lambda cache: outbox.write_status(cache, chat_id, status))

    def retry(self, client_id: str) -> None:
        """A failed item: try again. A held one: send it anyway."""
        outbox = self._require_outbox()
        self.lane.run(lambda cache: outbox.retry(cache, client_id))

    def discard(self, client_id: str) -> None:
        outbox = self._require_outbox()
        self.lane.run(lambda cache: outbox.discard(cache, client_id))

    def _require_outbox(self) -> Outbox:
        if self._outbox is None:
            raise RuntimeError("not signed in")
        return self._outbox

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

    def _new_chat(
        self,
        call: Callable[[ApiClient], dict[str, Any]],
        on_done: ChatCallback,
        on_refused: ErrorCallback,
    ) -> None:
        def work() -> dict[str, Any]:  # on a task worker: HTTP here, the cache on the lane
            chat = call(self.session.client())
            self.lane.call(lambda cache: ChangeSet(chats=(chat,) if cache.store_chat(chat) else ()))
            return chat

        self._tasks.run(work, on_done, on_refused)


def _store_me(cache: Cache, staff_id: int, me: dict[str, Any]) -> None:
    cache.put("staff_id", staff_id)
    cache.put("me", me)


def _store_history(
    cache: Cache,
    fetched: list[dict[str, Any]],
    read: Callable[[Cache], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    cache.store_history(fetched)
    return read(cache)
