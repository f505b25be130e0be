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
from desktop.services.settings import Settings
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
    sig_draft = Signal(int, str)

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
        self.settings = Settings()  # read from data_dir when the workspace opens
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
        self._synced_in_catch_up = 0
        self._said_no_keyring = False

    # ---- start, sign in, stop --------------------------------------------------------------

    def open(self, email: str | None = None, password: str | None = None) -> None:
        """Open the cache and show what it holds, then sign in (stored token or the given
        credentials) and start syncing. Without either, asks for sign-in."""
        self._tasks.run(lambda: self._open(email, password), self._opened, self._open_failed)

    def _open(self, email: str | None, password: str | None) -> dict[str, Any]:
        self._cache = Cache(self.data_dir)
        self.settings = Settings.load(self.data_dir)
        opened = {"chats": self._cache.chats(), "me": self._cache.get("me"), "problem": ""}
        self._token = self._tokens.load(self.server)
        try:
            if email and password:
                opened["me"] = self._sign_in(email, password)
            elif not self._token:
                # Say at once if the server is unreachable, before anyone types a password.
                self._new_client(with_token=False).check_reachable()
        except (ApiError, OfflineError) as exc:
            opened["problem"] = str(exc)
        return opened

    def _opened(self, opened: dict[str, Any]) -> None:
        # What the cache holds shows at once, whatever the network does next.
        self.sig_chats.emit(opened["chats"])
        if self._token and opened["me"]:
            self._became_signed_in(opened["me"])
        else:
            self.sig_need_sign_in.emit(opened["problem"])

    def _became_signed_in(self, me: dict[str, Any]) -> None:
        self.me = me
        self.sig_signed_in.emit(me)
        if not self._tokens.persistent and not self._said_no_keyring:
            self._said_no_keyring = True
            self._notices.info(
                self.tr(
                    "This computer has no password keyring, so you will be asked to sign in "
                    "again the next time PetsApp starts."
                )
            )
        self._start_sync()

    def _open_failed(self, error: BaseException) -> None:
        if isinstance(error, CacheTooNewError):
            self._notices.error(str(error))
        else:
            log.error("could not open the workspace", exc_info=error)
            self._notices.error(f"PetsApp Desktop could not start: {error}")

    def sign_in(self, email: str, password: str) -> None:
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

    def shutdown(self) -> None:
        if self._sync is not None:
            self._sync.stop()

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
        self._sync = SyncEngine(self._new_client, self._cache)
        self._sync.sig_changes.connect(self._on_changes)
        self._sync.sig_state.connect(self._on_state)
        self._sync.sig_progress.connect(self._on_progress)
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
        if state != "syncing":
            self._synced_in_catch_up = 0
        self._announce_connection()

    def _on_progress(self, applied: int) -> None:
        self._synced_in_catch_up = applied
        self._announce_connection()

    def _announce_connection(self) -> None:
        text = {"online": self.tr("Online"), "syncing": self.tr("Syncing…")}.get(
            self._state, self.tr("Offline")
        )
        if self._state == "syncing" and self._synced_in_catch_up:
            text = self.tr("Syncing… %n changes", "", self._synced_in_catch_up)
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

    def load_draft(self, chat_id: int) -> None:
        assert self._cache is not None
        cache = self._cache
        self._tasks.run(
            lambda: cache.draft(chat_id), lambda text: self.sig_draft.emit(chat_id, text)
        )

    def save_draft(self, chat_id: int, text: str) -> None:
        if self._cache is not None:
            cache = self._cache
            self._tasks.run(lambda: cache.save_draft(chat_id, text))

    def save_draft_now(self, chat_id: int, text: str) -> None:
        """At quit only: the worker pool is about to stop, and a draft is a few bytes."""
        if self._cache is not None:
            self._cache.save_draft(chat_id, text)

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
