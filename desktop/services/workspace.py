"""The signed-in workspace: cache, sync engine and the user's actions, for the views.

Everything here runs its I/O on worker threads and reports back through signals, which
the composition root (``desktop.app``) connects to the views.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.cache import Cache, CacheTooNewError
from desktop.services.cache_paths import CACHE_FILE
from desktop.services.connection_status import ConnectionStatus
from desktop.services.credentials import TokenStore
from desktop.services.notices import NoticeBridge
from desktop.services.outbox import Outbox
from desktop.services.send_journal import JOURNAL_FOLDER, JournalEntry, SendJournal
from desktop.services.settings import Settings
from desktop.services.sync import BATCH as SYNC_BATCH
from desktop.services.sync import SyncEngine
from desktop.services.tasks import TaskRunner
from desktop.services.unread import UnreadCounts

log = logging.getLogger(__name__)

ChatCallback = Callable[[dict[str, Any]], None]
ErrorCallback = Callable[[BaseException], None]


class Workspace(QObject):
    """Signals: sig_signed_in(me), sig_need_sign_in(reason), sig_chats(list),
    sig_chat(chat), sig_messages(chat_id, list), sig_message(message), sig_connection(text)."""

    sig_signed_in = Signal(dict)  # /me, with "colleagues" added
    sig_need_sign_in = Signal(str)
    sig_chats = Signal(list)
    sig_chat = Signal(dict)
    sig_messages = Signal(int, list)
    sig_message = Signal(dict)
    sig_connection = Signal(str)
    sig_draft = Signal(int, str)
    sig_older = Signal(int, list)  # chat id, older messages (oldest first)
    sig_pending = Signal(int)  # outbox items not yet confirmed by the backend
    sig_unread = Signal(object)  # {chat id: unread count}, the chats that changed (int keys:
    # a Qt dict signal would convert to QVariantMap, which only takes string keys)
    sig_discarded = Signal(str)  # the key (client id) of a message the user threw away
    # The first sync of an empty cache (a first sign-in on this PC), when it takes more than
    # one answer: changes applied so far and in all; (-1, -1) when it is over.
    sig_first_sync = Signal(int, int)
    # A client's message that just arrived live (not history caught up after a start or an
    # outage, and each message once): what a notification is for.
    sig_inbound = Signal(dict)
    _sig_sync_begins = Signal(bool)  # from the sync thread: whether the cache was empty

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
        self.server = server.rstrip("/")
        self.data_dir = data_dir
        self.cache_dir = cache_dir or data_dir
        self.settings = Settings()  # read from data_dir when the workspace opens
        self.sync_batch = SYNC_BATCH  # changes per sync answer
        self.remembers_sign_in = True  # False for the demo, which signs in by itself
        self.me: dict[str, Any] | None = None
        self._tasks = tasks
        self._notices = notices
        self._tokens = tokens or TokenStore()
        self._token: str | None = None
        self._cache: Cache | None = None
        self._sync: SyncEngine | None = None
        self._local = threading.local()
        self._outbox: Outbox | None = None
        self._unread: UnreadCounts | None = None
        self._drafts: dict[int, str] = {}
        # Beside the cache: what Send was pressed for until its outbox item is written.
        self._journal = SendJournal(self.cache_dir / JOURNAL_FOLDER)
        self.open_chat_id: int | None = None
        self._status = ConnectionStatus(self)
        self._status.sig_text.connect(self.sig_connection)
        self._status.sig_first_sync.connect(self.sig_first_sync)
        self._newest_in = 0  # the newest client message seen, so none is announced twice
        self._said_no_keyring = False
        # The cache opens on a worker; a sign-in asked for meanwhile waits for it (a second
        # open would make a second cache and a second sync of the same folder).
        self._opening = False
        self._sign_in_when_open: tuple[str, str] | None = None
        self.sig_pending.connect(self._status.pending_changed)
        self._sig_sync_begins.connect(self._status.sync_started)

    # ---- start, sign in, stop --------------------------------------------------------------

    def open(self, email: str | None = None, password: str | None = None) -> None:
        """Open the cache and show what it holds, then sign in (stored token or the given
        credentials) and start syncing. Without either, asks for sign-in."""
        self._opening = True
        self._tasks.run(lambda: self._open(email, password), self._opened, self._open_failed)

    def _open(self, email: str | None, password: str | None) -> dict[str, Any]:
        self.settings = Settings.load(self.data_dir)
        self._token = self._tokens.load(self.server)
        problem = ""
        if (email and password) or not self._token:
            # Say at once if the server is unreachable or not PetsApp's, before anyone types
            # a password (and before a cache is made for a mistyped address).
            try:
                self._new_client(with_token=False).check_server()
            except OfflineError as exc:
                problem = str(exc)
        if problem and not (self.cache_dir / CACHE_FILE).exists():
            return {"chats": [], "me": None, "problem": problem}
        cache = Cache(self.cache_dir)
        # Before the cache is handed out: no draft is read and nothing is sent until what
        # was left in the send journal is in the outbox (and its draft gone).
        self._replay_journal(cache)
        self._cache = cache
        opened = {"chats": cache.chats(), "me": cache.get("me"), "problem": problem}
        if email and password and not problem:
            try:
                opened["me"] = self._sign_in(email, password)
            except (ApiError, OfflineError) as exc:
                opened["problem"] = str(exc)
        return opened

    def _opened(self, opened: dict[str, Any]) -> None:
        self._opening = False
        # What the cache holds shows at once, whatever the network does next.
        self.sig_chats.emit(opened["chats"])
        asked, self._sign_in_when_open = self._sign_in_when_open, None
        if self._token and opened["me"]:
            self._became_signed_in(opened["me"])
        elif asked is not None:  # the sign-in dialog was answered while the cache opened
            self.sign_in(*asked)
        else:
            self.sig_need_sign_in.emit(opened["problem"])

    def _became_signed_in(self, me: dict[str, Any]) -> None:
        self.me = me
        self.sig_signed_in.emit(me)
        if not self._tokens.persistent and not self._said_no_keyring and self.remembers_sign_in:
            self._said_no_keyring = True
            self._notices.info(
                self.tr(
                    "This computer has no password keyring, so you will be asked to sign in "
                    "again the next time PetsApp starts."
                )
            )
        self._start_sync()

    def _replay_journal(self, cache: Cache) -> None:
        """Messages Send was pressed for in an earlier run whose outbox item was perhaps
        never written (the app was killed, or the write failed): into the outbox now, in
        the order pressed, each once."""
        entries = self._journal.entries()
        if not entries:
            return
        me = (cache.get("me") or {}).get("staff", {}).get("id")
        outbox = Outbox(cache, self._new_client, me)  # writes only: sending starts at sign-in
        written = 0
        for entry in entries:
            if outbox.write_journalled(entry) is not None:
                written += 1
            self._journal.remove(entry)
        log.info("send journal: %d left over, %d written to the outbox", len(entries), written)

    def _open_failed(self, error: BaseException) -> None:
        self._opening = False
        self._sign_in_when_open = None
        if isinstance(error, CacheTooNewError):
            self._notices.error(str(error))
        else:
            log.error("could not open the workspace", exc_info=error)
            self._notices.error(self.tr("PetsApp Desktop could not start: %s") % error)

    def sign_in(self, email: str, password: str) -> None:
        if self._opening:
            self._sign_in_when_open = (email, password)
            return
        if self._cache is None:  # the server could not be checked when the workspace opened
            self.open(email, password)
            return
        self._tasks.run(
            lambda: self._sign_in(email, password),
            self._became_signed_in,
            lambda error: self.sig_need_sign_in.emit(str(error)),
        )

    def _sign_in(self, email: str, password: str) -> dict[str, Any]:
        assert self._cache is not None
        client = self._new_client(with_token=False)
        answer = client.login(email, password)
        previous = self._cache.get("staff_id")
        if previous is not None and previous != answer["staff"]["id"]:
            self._cache.wipe()  # another person's data never shows to the next one
        self._token = answer["token"]
        self._tokens.save(self.server, answer["token"])
        me = client.me()
        me["colleagues"] = client.colleagues()
        self._cache.put("staff_id", answer["staff"]["id"])
        self._cache.put("me", me)
        return me

    @property
    def is_open(self) -> bool:
        """The cache is open: chats, messages and drafts can be read."""
        return self._cache is not None

    @property
    def offline(self) -> bool:
        """The backend cannot be reached just now (the status line says why)."""
        return self._status.state == "offline"

    @property
    def pending(self) -> int:
        """Outbox items the backend has not confirmed (as last reported)."""
        return self._status.pending

    def sign_out(self) -> None:
        """Shared practice PCs: the token and everything cached go. (The caller asks first
        when items are still pending; they are lost.)"""
        self.shutdown()
        cache, token = self._cache, self._token
        self._token, self.me, self._outbox, self._sync = None, None, None, None
        self._drafts.clear()

        def work() -> None:
            if token:
                with contextlib.suppress(ApiError, OfflineError):  # offline: it expires anyway
                    ApiClient(
                        self.server,
                        token=token,
                        ca_bundle=self.settings.ca_bundle,
                        proxy=self.settings.proxy,
                    ).logout()
            self._tokens.forget(self.server)
            if cache is not None:
                cache.wipe()
            self._journal.wipe()

        def done(_: object) -> None:
            self._status.pending = 0
            self.sig_chats.emit([])
            self.sig_need_sign_in.emit("")

        # In order: a draft or outbox write queued before sign-out cannot land after the wipe.
        self._tasks.run_in_order(work, done)

    def shutdown(self) -> None:
        if self._sync is not None:
            self._sync.stop()
        if self._outbox is not None:
            self._outbox.stop()

    def _new_client(self, with_token: bool = True) -> ApiClient:
        return ApiClient(
            self.server,
            token=self._token if with_token else None,
            ca_bundle=self.settings.ca_bundle,
            proxy=self.settings.proxy,
        )

    def _client(self) -> ApiClient:
        """The calling thread's own client (requests sessions are not thread-safe)."""
        client: ApiClient | None = getattr(self._local, "client", None)
        if client is None or client.token != self._token:
            client = self._new_client()
            self._local.client = client
        return client

    # ---- sync ----------------------------------------------------------------------------

    def _start_sync(self) -> None:
        assert self._cache is not None
        if self._sync is not None:  # signed in again after the session ended
            self._sync.stop()
        self._unread = UnreadCounts(self._cache)  # read on the sync thread, in _sync_begins
        self._sync = SyncEngine(
            self._new_client,
            self._cache,
            batch=self.sync_batch,
            on_batch=self._count_unread,
            on_start=self._sync_begins,
        )
        self._sync.sig_changes.connect(self._on_changes)
        self._sync.sig_state.connect(self._on_state)
        self._sync.sig_progress.connect(self._status.progress)
        self._sync.sig_signed_out.connect(self.sig_need_sign_in)
        self._sync.start()
        if self._outbox is not None:
            self._outbox.stop()
        me_id = (self.me or {}).get("staff", {}).get("id")
        self._outbox = Outbox(self._cache, self._new_client, me_id, self._outbox_event)
        self._outbox.start()  # at start the outbox is tried at once

    def _sync_begins(self, empty_cache: bool) -> None:
        """On the sync thread, before its first request: the counts as they were, then
        whatever the batches change (the same thread, so in that order)."""
        self._sig_sync_begins.emit(empty_cache)
        if self._unread is not None:
            self.sig_unread.emit(self._unread.counts())

    def _count_unread(self, changes: list[dict[str, Any]]) -> None:
        """On the sync thread, after each batch is stored."""
        if self._unread is not None:
            changed = self._unread.take(changes, self.open_chat_id)
            if changed:
                self.sig_unread.emit(changed)

    def chat_opened(self, chat_id: int) -> None:
        self.open_chat_id = chat_id
        unread = self._unread
        if unread is not None:
            self._tasks.run(
                lambda: unread.read(chat_id), lambda _: self.sig_unread.emit({chat_id: 0})
            )

    def mark_unread(self, chat_id: int, unread: bool) -> None:
        """The queue's "Mark as unread" (the badge shows until the chat is opened; kept
        across restarts with the counts) and "Mark as read"."""
        counts = self._unread
        if counts is None:
            return

        def work() -> int:
            if unread:
                return counts.mark_unread(chat_id)
            counts.read(chat_id)
            return 0

        self._tasks.run(work, lambda n: self.sig_unread.emit({chat_id: n}))

    def search(self, query: str, on_found: Callable[[str, list[int]], None]) -> None:
        """The chats with a message matching ``query``, from the cache's full-text index
        (works offline); ``on_found(query, chat_ids)`` on the GUI thread. The queue matches
        names and numbers itself."""
        cache = self._cache
        if cache is None:
            on_found(query, [])
            return

        def failed(error: BaseException) -> None:
            log.warning("search failed: %s", type(error).__name__)  # no search text in logs
            on_found(query, [])

        self._tasks.run(
            lambda: cache.search_message_chats(query), lambda ids: on_found(query, ids), failed
        )

    def _outbox_event(self, kind: str, data: dict[str, Any]) -> None:
        """From the outbox's threads; the signals deliver on the GUI thread."""
        if kind == "message":
            self.sig_message.emit(data)
            if data.get("status") in {"failed", "held"}:
                self._notices.error(self.tr("A message was not sent: %s") % data.get("error", ""))
        elif kind == "discarded":
            self.sig_discarded.emit(data["client_id"])
        elif kind == "chat":
            self.sig_chat.emit(data)
        elif kind == "pending":
            self.sig_pending.emit(int(data["count"]))
        elif kind == "signed_out":
            self.sig_need_sign_in.emit(data["reason"])
        elif kind == "refused":
            self._notices.error(self._refusal_text(data))

    def _refusal_text(self, refused: dict[str, Any]) -> str:
        """What did not happen and why; a hand-off's note is repeated, so it is not lost."""
        kind, payload, error = str(refused["kind"]), refused["payload"], str(refused["error"])
        if kind == "handoff":
            return (
                self.tr("The hand-off was not done: %1 Your note: “%2”")
                .replace("%1", error)
                .replace("%2", str(payload.get("note", "")))
            )
        if kind == "status" and payload.get("status") == "closed":
            return self.tr("The chat was not closed: %s") % error
        if kind == "status":
            return self.tr("The chat was not reopened: %s") % error
        return self.tr("The new names were not saved: %s") % error

    def _on_changes(self, changes: list[dict[str, Any]]) -> None:
        # The state is still the one before this batch: "online" means a live long-poll
        # answered, not a catch-up.
        live = self._status.state == "online" and not self._status.first_sync
        arrived: list[dict[str, Any]] = []
        for change in changes:
            data = change["data"]
            if change["type"] == "chat":
                self.sig_chat.emit(data)
            elif change["type"] == "message":
                self.sig_message.emit(data)
                if data.get("direction") == "in" and int(data.get("id") or 0) > self._newest_in:
                    self._newest_in = int(data["id"])
                    arrived.append(data)
        for message in arrived if live else []:  # after the batch's chats: a new chat is known
            self.sig_inbound.emit(message)

    def _on_state(self, state: str) -> None:
        if state == "online" and self._status.state != "online" and self._outbox is not None:
            self._outbox.kick()  # the backend is back: send what waited
        self._status.state_changed(state)

    # ---- what the user does ------------------------------------------------------------------

    def load_messages(self, chat_id: int) -> None:
        assert self._cache is not None
        cache = self._cache
        self._tasks.run(
            lambda: cache.messages(chat_id), lambda rows: self.sig_messages.emit(chat_id, rows)
        )

    def load_older(self, chat_id: int, oldest: dict[str, Any], page: int = 100) -> None:
        """Messages older than ``oldest``: from the cache, else from the backend's history
        (cached for next time). Answers with ``sig_older`` (maybe an empty list)."""
        assert self._cache is not None
        cache = self._cache
        before = (str(oldest.get("created_at") or ""), str(oldest.get("key") or ""))

        def work() -> list[dict[str, Any]]:
            rows = cache.messages(chat_id, page, before=before)
            if len(rows) < page and oldest.get("id"):
                with contextlib.suppress(ApiError, OfflineError):  # offline: what is cached
                    fetched = self._client().history(chat_id, before=oldest["id"], limit=page)
                    cache.store_history(fetched)
                    rows = cache.messages(chat_id, page, before=before)
            return rows

        self._tasks.run(work, lambda rows: self.sig_older.emit(chat_id, rows))

    # Drafts: this session's latest text per chat is kept in memory (the GUI thread's calls
    # come in order), so switching chats quickly never shows an older draft; the cache
    # gets whatever is latest when its worker runs.

    def load_draft(self, chat_id: int) -> None:
        if chat_id in self._drafts:
            self.sig_draft.emit(chat_id, self._drafts[chat_id])
            return
        assert self._cache is not None
        cache = self._cache
        self._tasks.run(
            lambda: cache.draft(chat_id), lambda text: self.sig_draft.emit(chat_id, text)
        )

    def save_draft(self, chat_id: int, text: str) -> None:
        # Through the ordered lane: an earlier save never lands after a later one, and the
        # lane is finished (never cancelled) before the app exits.
        self._drafts[chat_id] = text
        if self._cache is not None:
            cache = self._cache
            self._tasks.run_in_order(lambda: cache.save_draft(chat_id, text))

    def start_sms_chat(
        self, clinic_id: int, phone: str, on_done: ChatCallback, on_refused: ErrorCallback
    ) -> None:
        self._change_chat(
            lambda client: client.start_sms_chat(clinic_id, phone), on_done, on_refused
        )

    def start_app_chat(
        self, clinic_id: int, owner_id: int, on_done: ChatCallback, on_refused: ErrorCallback
    ) -> None:
        self._change_chat(
            lambda client: client.start_app_chat(clinic_id, owner_id), on_done, on_refused
        )

    # Messages, hand-offs and detail edits go through the outbox: written to the cache at
    # once (shown as pending), sent when the backend is reachable, never twice.

    @property
    def can_send(self) -> bool:
        """Signed in this session, so Send has an outbox to write to."""
        return self._outbox is not None

    def send_message(self, chat_id: int, body: str) -> None:
        """On the GUI thread, at the click: the message is on disk (the send journal) when
        this returns, so the composer may forget it; the outbox item (and the draft's
        removal) follow on the ordered lane. Raises ``OSError`` when the journal cannot be
        written: the caller keeps the text."""
        outbox = self._require_outbox()
        entry = self._journal.write(chat_id, body)
        self._drafts[chat_id] = ""  # the composer is empty now: this session shows no draft

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

        self._tasks.run_in_order(
            lambda: self._write_journalled(outbox, entry), self.sig_message.emit, failed
        )

    def _write_journalled(self, captured: Outbox, entry: JournalEntry) -> dict[str, Any]:
        # The outbox of now: a sign-in since the click started another one, whose worker
        # is the one to wake.
        outbox = self._outbox or captured
        message = outbox.write_message(entry.chat_id, entry.body, entry.client_id)
        self._journal.remove(entry)  # the outbox has it: a kill from here on loses nothing
        return message

    def update_details(
        self, chat_id: int, owner_name: str, pet_name: str, on_written: Callable[[], None]
    ) -> None:
        outbox = self._require_outbox()
        self._tasks.run_in_order(
            lambda: outbox.write_details(chat_id, owner_name, pet_name), lambda _: on_written()
        )

    def hand_off(
        self, chat_id: int, to_staff_id: int, note: str, on_written: Callable[[], None]
    ) -> None:
        outbox = self._require_outbox()
        self._tasks.run_in_order(
            lambda: outbox.write_handoff(chat_id, to_staff_id, note), lambda _: on_written()
        )

    def set_status(self, chat_id: int, status: str) -> None:
        """Close (``"closed"``) or reopen (``"open"``): through the outbox, so it also
        works offline and happens in order with what was written before it."""
        outbox = self._require_outbox()
        self._tasks.run_in_order(lambda: outbox.write_status(chat_id, status))

    def retry(self, client_id: str) -> None:
        """A failed item: try again. A held one: send it anyway."""
        outbox = self._require_outbox()
        self._tasks.run_in_order(lambda: outbox.retry(client_id))

    def discard(self, client_id: str) -> None:
        outbox = self._require_outbox()
        self._tasks.run_in_order(lambda: outbox.discard(client_id))

    def _require_outbox(self) -> Outbox:
        if self._outbox is None:
            raise RuntimeError("not signed in")
        return self._outbox

    def _change_chat(
        self,
        call: Callable[[ApiClient], dict[str, Any]],
        on_done: ChatCallback,
        on_refused: ErrorCallback,
    ) -> None:
        def work() -> dict[str, Any]:
            chat = call(self._client())
            assert self._cache is not None
            self._cache.store_chat(chat)
            return chat

        def done(chat: dict[str, Any]) -> None:
            self.sig_chat.emit(chat)
            on_done(chat)

        self._tasks.run(work, done, on_refused)
