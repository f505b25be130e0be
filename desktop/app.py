"""The composition root: parses the command line, builds services and views, wires them.

``launch(argv)`` builds and shows the main window without entering the event loop (tests
drive it); ``main()`` is ``launch`` plus ``exec()``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop.platform_check import display_problem
from desktop.resource_paths import resource_text, resources_dir
from desktop.services.cache_peek import cached_chats
from desktop.services.notices import NoticeBridge
from desktop.services.records import is_stale
from desktop.services.tasks import TaskRunner
from desktop.views.chat_dialogs import DetailsDialog, HandOffDialog, ask_sign_out_with_pending
from desktop.views.login_dialog import LoginDialog
from desktop.views.main_window import MainWindow
from desktop.views.message_model import MessageListModel
from desktop.views.new_chat_dialog import NewChatDialog
from desktop.views.queue_model import ChatListModel

if TYPE_CHECKING:  # imported at run time on a worker (see App._open_workspace)
    from desktop.services.workspace import Workspace

log = logging.getLogger(__name__)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="petsapp-desktop", description="PetsApp Desktop")
    parser.add_argument("--server", help="the PetsApp server URL, e.g. https://petsapp.example")
    parser.add_argument("--data-dir", type=Path, help="where the local cache is kept")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run the embedded demo (backend and SMS sandbox on this computer); the default "
        "when no --server is given",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, make one real round trip (start a chat, send, receive), exit",
    )
    return parser.parse_args(argv)


class App:
    """Owns the services and the window for one run, and connects them."""

    def __init__(
        self,
        args: argparse.Namespace,
        window: MainWindow,
        tasks: TaskRunner,
        notices: NoticeBridge,
        messages: MessageListModel,
    ) -> None:
        self.args = args
        self.window = window
        self.tasks = tasks
        self.notices = notices
        self.messages = messages
        self.demo: Any = None
        self.workspace: Workspace | None = None
        self.login: LoginDialog | None = None
        self.new_chat: NewChatDialog | None = None
        self._stopped = False
        self._open_when_ready: dict[str, Any] | None = None
        window.sig_open_chat.connect(self.open_chat)
        window.sig_new_chat.connect(self.show_new_chat)
        window.chat_panel.sig_send.connect(self._send)
        window.settings_page.sign_out.clicked.connect(self.sign_out)
        window.chat_panel.sig_update_details.connect(self.show_details)
        window.chat_panel.sig_hand_off.connect(self.show_hand_off)
        notices.sig_notice.connect(window.show_notice)
        for level, text in notices.listen():
            window.show_notice(level, text)

    # ---- start-up ------------------------------------------------------------------------

    def start(self) -> None:
        if self.args.server:
            self._open_workspace(self.args.server, self._data_dir(), None)
        else:
            self.window.connection.setText(self.window.tr("Starting the demo…"))
            self.tasks.run(self._start_demo, self._demo_started, self._demo_failed)

    def _data_dir(self) -> Path:
        if self.args.data_dir:
            return Path(self.args.data_dir)
        return Path(platformdirs.user_data_dir("PetsApp Desktop", "PetsApp"))

    def _start_demo(self) -> Any:
        from backend.demo import EmbeddedDemo  # the server side loads only for the demo

        return EmbeddedDemo().start()

    def _demo_started(self, demo: Any) -> None:
        self.demo = demo
        data_dir = Path(self.args.data_dir) if self.args.data_dir else demo.data_dir / "desktop"
        self._open_workspace(demo.backend_url, data_dir, demo.credentials)

    def _demo_failed(self, error: BaseException) -> None:
        log.error("the demo could not start", exc_info=error)
        self.notices.error(self.window.tr("The demo could not start: %s") % error)

    def _open_workspace(self, server: str, data_dir: Path, credentials: Any) -> None:
        """Show the cached queue as soon as it is read (standard library only), while the
        services (SQLAlchemy, Alembic, requests: ~0.4 s of imports) load on a worker."""

        def load_services() -> None:
            # Only after the first screenful: imports hold the GIL and would delay it.
            self.tasks.run(
                lambda: importlib.import_module("desktop.services.workspace"),
                lambda module: self._services_loaded(
                    module.Workspace, server, data_dir, credentials
                ),
            )

        def first_screen(chats: list[dict[str, Any]]) -> None:
            if self.window.queue_model.rowCount() == 0:
                self.window.queue_model.set_chats(chats)
            QTimer.singleShot(0, load_services)  # once this screen is painted

        self.tasks.run(lambda: cached_chats(data_dir), first_screen, lambda _e: load_services())

    def _services_loaded(
        self, workspace_class: Any, server: str, data_dir: Path, credentials: Any
    ) -> None:
        workspace = workspace_class(server, data_dir, self.tasks, self.notices)
        workspace.remembers_sign_in = credentials is None
        self.workspace = workspace
        workspace.sig_chats.connect(self.window.queue_model.set_chats)
        workspace.sig_chats.connect(self._workspace_open)
        workspace.sig_chat.connect(self._chat_changed)
        workspace.sig_message.connect(self.messages.upsert)
        workspace.sig_messages.connect(self.messages.show_loaded)
        workspace.sig_connection.connect(self.window.connection.setText)
        workspace.sig_draft.connect(self.window.chat_panel.set_draft)
        workspace.sig_discarded.connect(self.messages.remove)
        workspace.sig_unread.connect(self.window.queue_model.set_unread)
        workspace.sig_older.connect(self.window.chat_panel.show_older)
        self.window.chat_panel.sig_need_older.connect(workspace.load_older)
        self.window.chat_panel.sig_retry.connect(workspace.retry)
        self.window.chat_panel.sig_discard.connect(workspace.discard)
        self.window.chat_panel.sig_draft.connect(workspace.save_draft)
        workspace.sig_signed_in.connect(self._signed_in)
        workspace.sig_need_sign_in.connect(self._ask_sign_in)
        if credentials is not None:
            workspace.open(credentials.email, credentials.password)
        else:
            workspace.open()

    def _workspace_open(self, _chats: list[dict[str, Any]]) -> None:
        chat, self._open_when_ready = self._open_when_ready, None
        if chat is not None:
            self.open_chat(chat)

    def _signed_in(self, me: dict[str, Any]) -> None:
        if self.login is not None:
            self.login.accept()
            self.login = None
        self.window.settings_page.show_me(me)
        colleagues = {c["id"]: c["name"] for c in me.get("colleagues", [])}
        self.window.chat_panel.colleagues = colleagues
        self.window.queue_model.colleagues = colleagues
        staff = me.get("staff", {}).get("name", "")
        self.window.setWindowTitle(self.window.tr("PetsApp — %s") % staff)

    def _ask_sign_in(self, reason: str) -> None:
        assert self.workspace is not None
        if self.login is None:
            self.login = LoginDialog(self.workspace.server, self.window)
            self.login.sig_sign_in.connect(self.workspace.sign_in)
            self.login.open()
        self.login.show_problem(reason)

    # ---- chats ---------------------------------------------------------------------------

    def _chat_changed(self, chat: dict[str, Any]) -> None:
        self.window.queue_model.upsert(chat)
        panel = self.window.chat_panel
        if panel.chat and panel.chat["id"] == chat["id"] and not is_stale(chat, panel.chat):
            panel.show_chat(chat)
            self.window.select_chat(chat)

    def open_chat(self, chat: dict[str, Any]) -> None:
        self.window.chat_panel.show_chat(chat)
        self.window.select_chat(chat)
        if self.workspace is None or not self.workspace.is_open:
            self._open_when_ready = chat  # clicked in the queue before the cache finished opening
            return
        self.messages.show_chat(chat["id"], chat.get("kind") == "sms", [])
        self.workspace.load_messages(chat["id"])
        self.workspace.load_draft(chat["id"])
        self.workspace.chat_opened(chat["id"])

    def show_new_chat(self) -> None:
        if self.workspace is None or self.workspace.me is None:
            self.notices.info(self.window.tr("Sign in first."))
            return
        dialog = NewChatDialog(self.workspace.me.get("clinics", []), self.window)
        self.new_chat = dialog
        dialog.sig_start.connect(self._start_sms_chat)
        dialog.sig_start_app.connect(self._start_app_chat)
        dialog.open()

    def _start_sms_chat(self, clinic_id: int, phone: str) -> None:
        assert self.workspace is not None
        self.workspace.start_sms_chat(clinic_id, phone, *self._chat_started_callbacks())

    def _start_app_chat(self, clinic_id: int, owner_id: int) -> None:
        assert self.workspace is not None
        self.workspace.start_app_chat(clinic_id, owner_id, *self._chat_started_callbacks())

    def _chat_started_callbacks(
        self,
    ) -> tuple[Callable[[dict[str, Any]], None], Callable[[BaseException], None]]:
        dialog = self.new_chat

        def opened(chat: dict[str, Any]) -> None:
            if dialog is not None:
                dialog.accept()
            self.open_chat(chat)

        def refused(error: BaseException) -> None:
            log.info("chat not started: %s", getattr(error, "code", type(error).__name__))
            if dialog is None:
                return
            if getattr(error, "code", None) == "owner_registered":
                dialog.show_registered_owner(error.payload["owner"])
            else:
                dialog.show_refusal(_plain(error))

        return opened, refused

    def sign_out(self) -> None:
        """Settings → "Sign out": on a shared PC nothing stays behind; unsent work is
        named first, since it is lost."""
        if self.workspace is None:
            return
        pending = self.workspace.pending
        if pending and not ask_sign_out_with_pending(self.window, pending):
            return
        self.window.chat_panel.show_chat(None)
        self.messages.show_chat(-1, False, [])
        self.workspace.sign_out()

    def show_details(self, chat: dict[str, Any]) -> None:
        """ "More" → "Update Pet Details": names instead of "Guest"."""
        assert self.workspace is not None
        dialog = DetailsDialog(chat, self.window)
        workspace = self.workspace
        dialog.sig_save.connect(
            # Written to the outbox: it shows as pending and goes when the server is reachable.
            lambda owner, pet: workspace.update_details(chat["id"], owner, pet, dialog.accept)
        )
        dialog.open()

    def show_hand_off(self, chat: dict[str, Any]) -> None:
        """ "More" → "Hand off": a colleague and an internal note."""
        assert self.workspace is not None and self.workspace.me is not None
        me = self.workspace.me
        dialog = HandOffDialog(me.get("colleagues", []), me["staff"]["id"], self.window)
        workspace = self.workspace
        dialog.sig_hand_off.connect(
            lambda staff_id, note: workspace.hand_off(chat["id"], staff_id, note, dialog.accept)
        )
        dialog.open()

    def _send(self, chat_id: int, body: str) -> None:
        assert self.workspace is not None
        self.workspace.send_message(chat_id, body)

    # ---- shutdown ------------------------------------------------------------------------

    def shutdown(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for dialog in (self.login, self.new_chat):
            if dialog is not None:
                dialog.close()
        if self.workspace is not None:
            panel = self.window.chat_panel
            panel.sig_draft.disconnect(self.workspace.save_draft)
            if panel.chat is not None:
                self.workspace.save_draft_now(panel.chat["id"], panel.editor.toPlainText())
            self.workspace.shutdown()
        self.tasks.shutdown(wait=True)
        if self.demo is not None:
            self.demo.stop()
            self.demo = None


def _plain(error: BaseException) -> str:
    """What to tell the user about a failed request, in plain words."""
    from desktop.services.api import ApiError, OfflineError  # loaded by then

    if isinstance(error, ApiError):
        return error.message
    if isinstance(error, OfflineError):
        return str(error)
    log.error("unexpected failure", exc_info=error)
    return QApplication.translate(
        "App", "Something went wrong on this computer; the details are in the log. Try again."
    )


def launch(argv: list[str] | None = None) -> MainWindow:
    """Build and show the main window (making the QApplication if needed); no event loop."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    qt_app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "petsapp"])
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("PetsApp Desktop")
    qt_app.setOrganizationName("PetsApp")
    qt_app.setDesktopFileName("petsapp-desktop")  # Wayland matches the window to its menu entry
    qt_app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "petsapp.svg")))
    qt_app.setStyleSheet(resource_text("style.qss"))

    tasks = TaskRunner()
    notices = NoticeBridge()
    messages = MessageListModel()
    icons = {
        name: QIcon(str(resources_dir() / "icons" / f"{name}.svg")) for name in ("chat", "settings")
    }
    window = MainWindow(ChatListModel(), messages, icons)
    app = App(args, window, tasks, notices, messages)
    window.app = app  # type: ignore[attr-defined]  # the window keeps its wiring alive
    qt_app.aboutToQuit.connect(app.shutdown)
    if os.environ.get("PETSAPP_STARTUP_PROBE"):
        from desktop.startup_probe import QueuePaintProbe

        window.probe = QueuePaintProbe(window)  # type: ignore[attr-defined]
    window.show()
    app.start()
    if args.smoke_test:
        from desktop.smoke import SmokeTest

        window.smoke = SmokeTest(app)  # type: ignore[attr-defined]
    return window


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)  # noqa: T201
        return 2
    window = launch(argv)
    qt_app = QApplication.instance()
    assert qt_app is not None
    code = qt_app.exec()
    smoke = getattr(window, "smoke", None)
    return smoke.exit_code if smoke is not None else int(code)
