"""The signed-in workspace: cache, sync engine and the user's actions, for the views.

Everything here runs its I/O on worker threads and reports back through signals, which
the composition root (``desktop.app``) connects to the views.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.cache import Cache, CacheTooNewError
from desktop.services.credentials import TokenStore
from desktop.services.notices import NoticeBridge
from desktop.services.sync import SyncEngine
from desktop.services.tasks import TaskRunner

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

    def __init__(
        self,
        server: str,
        data_dir: Path,
        tasks: TaskRunner,
        notices: NoticeBridge,
        tokens: TokenStore | None = None,
    ) -> None:
        super().__init__()
        self.server = server.rstrip("/")
        self.data_dir = data_dir
        self.me: dict[str, Any] | None = None
        self._tasks = tasks
        self._notices = notices
        self._tokens = tokens or TokenStore()
        self._token: str | None = None
        self._cache: Cache | None = None
        self._sync: SyncEngine | None = None
        self._local = threading.local()
        self._sending = 0
        self._state = "offline"

    # ---- start, sign in, stop --------------------------------------------------------------

    def open(self, email: str | None = None, password: str | None = None) -> None:
        """Open the cache and show what it holds, then sign in (stored token or the given
        credentials) and start syncing. Without either, asks for sign-in."""
        self._tasks.run(lambda: self._open(email, password), self._opened, self._open_failed)

    def _open(self, email: str | None, password: str | None) -> dict[str, Any]:
        self._cache = Cache(self.data_dir)
        cached = {"chats": self._cache.chats(), "me": self._cache.get("me")}
        self._token = self._tokens.load(self.server)
        if email and password:
            cached["me"] = self._sign_in(email, password)
        elif not self._token:
            # Say at once if the server is unreachable, before anyone types a password.
            ApiClient(self.server).check_reachable()
        return cached

    def _opened(self, cached: dict[str, Any]) -> None:
        self.sig_chats.emit(cached["chats"])
        if self._token and cached["me"]:
            self.me = cached["me"]
            self.sig_signed_in.emit(self.me)
            self._start_sync()
        else:
            self.sig_need_sign_in.emit("")

    def _open_failed(self, error: BaseException) -> None:
        if isinstance(error, ApiError | OfflineError):
            self.sig_need_sign_in.emit(str(error))
        elif isinstance(error, CacheTooNewError):
            self._notices.error(str(error))
        else:
            log.error("could not open the workspace", exc_info=error)
            self._notices.error(f"PetsApp Desktop could not start: {error}")

    def sign_in(self, email: str, password: str) -> None:
        def done(me: dict[str, Any]) -> None:
            self.me = me
            self.sig_signed_in.emit(me)
            self._start_sync()

        self._tasks.run(
            lambda: self._sign_in(email, password),
            done,
            lambda error: self.sig_need_sign_in.emit(str(error)),
        )

    def _sign_in(self, email: str, password: str) -> dict[str, Any]:
        assert self._cache is not None
        client = ApiClient(self.server)
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

    def shutdown(self) -> None:
        if self._sync is not None:
            self._sync.stop()

    def _client(self) -> ApiClient:
        """The calling thread's own client (requests sessions are not thread-safe)."""
        client: ApiClient | None = getattr(self._local, "client", None)
        if client is None or client.token != self._token:
            client = ApiClient(self.server, token=self._token)
            self._local.client = client
        return client

    # ---- sync ----------------------------------------------------------------------------

    def _start_sync(self) -> None:
        assert self._cache is not None
        self._sync = SyncEngine(lambda: ApiClient(self.server, token=self._token), self._cache)
        self._sync.sig_changes.connect(self._on_changes)
        self._sync.sig_state.connect(self._on_state)
        self._sync.sig_signed_out.connect(self.sig_need_sign_in)
        self._sync.start()

    def _on_changes(self, changes: list[dict[str, Any]]) -> None:
        for change in changes:
            if change["type"] == "chat":
                self.sig_chat.emit(change["data"])
            elif change["type"] == "message":
                self.sig_message.emit(change["data"])

    def _on_state(self, state: str) -> None:
        self._state = state
        self._announce_connection()

    def _announce_connection(self) -> None:
        text = {"online": self.tr("Online"), "syncing": self.tr("Syncing…")}.get(
            self._state, self.tr("Offline")
        )
        if self._sending:
            text += " · " + self.tr("%n pending", "", self._sending)
        self.sig_connection.emit(text)

    # ---- what the user does ------------------------------------------------------------------

    def load_messages(self, chat_id: int) -> None:
        assert self._cache is not None
        cache = self._cache
        self._tasks.run(
            lambda: cache.messages(chat_id), lambda rows: self.sig_messages.emit(chat_id, rows)
        )

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

    def update_details(
        self,
        chat_id: int,
        owner_name: str,
        pet_name: str,
        on_done: ChatCallback,
        on_refused: ErrorCallback,
    ) -> None:
        self._change_chat(
            lambda client: client.update_details(chat_id, owner_name, pet_name), on_done, on_refused
        )

    def hand_off(
        self,
        chat_id: int,
        to_staff_id: int,
        note: str,
        on_done: ChatCallback,
        on_refused: ErrorCallback,
    ) -> None:
        self._change_chat(
            lambda client: client.hand_off(chat_id, to_staff_id, note), on_done, on_refused
        )

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

    def send_message(self, chat_id: int, body: str) -> None:
        assert self._cache is not None
        cache = self._cache
        client_id = str(uuid.uuid4())
        self._sending += 1
        self._announce_connection()

        def work() -> dict[str, Any]:
            self.sig_message.emit(cache.add_pending_message(chat_id, client_id, body))
            try:
                return cache.record_sent(self._client().send_message(chat_id, client_id, body))
            except (ApiError, OfflineError) as exc:
                code = exc.code if isinstance(exc, ApiError) else "offline"
                failed = cache.mark_failed(client_id, str(exc), code)
                if failed is not None:
                    return failed
                raise

        def done(message: dict[str, Any]) -> None:
            self._sending -= 1
            self._announce_connection()
            self.sig_message.emit(message)
            if message.get("status") == "failed":
                self._notices.error(self.tr("Message not sent: %s") % message.get("error", ""))

        def failed(error: BaseException) -> None:
            self._sending -= 1
            self._announce_connection()
            self._notices.error(self.tr("Message not sent: %s") % error)

        self._tasks.run(work, done, failed)
