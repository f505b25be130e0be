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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop import translations
from desktop.cli_args import data_dir, parse_args
from desktop.controllers.attention import Attention
from desktop.controllers.chat_actions import ChatActions
from desktop.controllers.chat_views import ChatViews
from desktop.controllers.demo_menu import DemoMenu
from desktop.controllers.help_menu import HelpMenu
from desktop.controllers.sign_in_flow import Credentials, SignInFlow
from desktop.logs import log_dir, start_logging
from desktop.platform_check import display_problem
from desktop.resource_paths import resources_dir
from desktop.services.cache_paths import server_cache_dir
from desktop.services.cache_peek import cached_chats
from desktop.services.notices import NoticeBridge
from desktop.services.records import Chat, Me
from desktop.services.server_url import ServerUrlError, normalise_server_url
from desktop.services.tasks import TaskRunner
from desktop.theming import follow_system
from desktop.views.after_paint import after_next_paint
from desktop.views.main_window import MainWindow
from desktop.views.message_model import MessageListModel
from desktop.views.queue_model import ChatListModel

if TYPE_CHECKING:
    # Off the start-up path (bench/ui.py times it): the workspace is imported on a worker
    # (see App._open_workspace); the dialogs and the Help menu's module (importlib.metadata,
    # ~25 ms) where they are first used.
    from desktop.services.demo_server import DemoServer
    from desktop.services.workspace import Workspace
    from desktop.views.login_dialog import LoginDialog

log = logging.getLogger(__name__)


class App:
    """Owns the services, the controllers and the window for one run, and connects them."""

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
        self.demo: DemoServer | None = None
        self.workspace: Workspace | None = None
        self._generation = 0  # one per workspace opened: late answers for an older one drop
        self._stopped = False
        self._wiring = Wiring()  # the open workspace's connections, dropped with it
        current = self._current_workspace
        self.attention = Attention(window, QApplication.windowIcon(), self.open_chat)
        self.chat_views = ChatViews(window, messages, self.attention, notices, current)
        self.sign_in_flow = SignInFlow(window, current, self._open_server, self.start_demo)
        self.chat_actions = ChatActions(
            window, current, self.open_chat, self.sign_in_flow.ask_again
        )
        self.help_menu = HelpMenu(window, notices, current, self._data_dir)
        self.demo_menu = DemoMenu(window, current, notices)
        self.attention.tray.sig_mute.connect(self._remember_mute)
        window.sig_new_chat.connect(self.chat_actions.show_new_chat)
        window.settings_page.sign_out.clicked.connect(self.sign_out)
        window.chat_panel.sig_update_details.connect(self.chat_actions.show_details)
        window.chat_panel.sig_hand_off.connect(self.chat_actions.show_hand_off)
        window.chat_panel.sig_set_status.connect(self.chat_actions.set_status)
        notices.sig_notice.connect(window.show_notice)
        for level, text in notices.listen():
            window.show_notice(level, text)

    @property
    def login(self) -> LoginDialog | None:
        return self.sign_in_flow.login

    def open_chat(self, chat: Chat) -> None:
        self.chat_views.open_chat(chat)

    def _current_workspace(self) -> Workspace | None:
        return self.workspace

    def _data_dir(self) -> Path:
        return data_dir(self.args)

    # ---- start-up ------------------------------------------------------------------------

    def start(self) -> None:
        """``--server URL``: that server; ``--demo``: the embedded demo; neither: the server
        remembered in settings.json, or on first run the sign-in dialog asks for it."""
        if self.args.server:
            self._use_server(self.args.server)
        elif self.args.demo:
            self.start_demo()
        else:
            data_dir = self._data_dir()
            self.tasks.run(
                lambda: _remembered_server(data_dir),
                lambda server: self._use_server(server or ""),
                lambda _error: self._use_server(""),
            )

    def _use_server(self, typed: str) -> None:
        try:
            server = normalise_server_url(typed)
        except ServerUrlError:
            self.sign_in_flow.show(typed, "")  # the dialog says what is wrong with the address
            return
        self._open_workspace(server, self._data_dir(), None)

    def _open_server(self, server: str, credentials: Credentials) -> None:
        self._open_workspace(server, self._data_dir(), credentials)

    def start_demo(self) -> None:
        """``--demo``, or "Try the demo" in the sign-in dialog."""
        if self.demo is not None:  # still running from earlier in this session
            self._demo_started(self.demo)
            return
        self.window.connection.setText(QCoreApplication.translate("App", "Starting the demo…"))
        self.tasks.run(self._start_demo, self._demo_started, self._demo_failed)

    def _start_demo(self) -> DemoServer:
        from desktop.services.demo_server import DemoServer

        return DemoServer(log_dir()).start()  # a process of its own, stopped with the app

    def _demo_started(self, demo: DemoServer) -> None:
        self.demo = demo
        data_dir = Path(self.args.data_dir) if self.args.data_dir else demo.data_dir / "desktop"
        credentials = Credentials(demo.credentials.email, demo.credentials.password)
        self._open_workspace(demo.backend_url, data_dir, credentials, demo=True)

    def _demo_failed(self, error: BaseException) -> None:
        log.error("the demo could not start", exc_info=error)
        text = QCoreApplication.translate("App", "The demo could not start: %s") % error
        self.notices.error(text)
        self.sign_in_flow.problem(text)

    def _open_workspace(
        self, server: str, data_dir: Path, credentials: Credentials | None, demo: bool = False
    ) -> None:
        """Show the cached queue as soon as it is read (standard library only), while the
        services (SQLAlchemy, Alembic, requests: ~0.4 s of imports) load on a worker. The
        cache is the server's own (``server_cache_dir``); a workspace open for another
        server is closed first."""
        self._drop_workspace()
        self._generation += 1
        generation = self._generation
        cache_dir = server_cache_dir(data_dir, server)

        def current() -> bool:
            return generation == self._generation and not self._stopped

        def loaded(module: Any) -> None:
            if current():
                workspace = module.Workspace(
                    server, data_dir, self.tasks, self.notices, cache_dir=cache_dir
                )
                self._services_loaded(workspace, credentials, demo)

        def load_services() -> None:
            # Only after the first screenful: imports hold the GIL and would delay it.
            if current():
                self.tasks.run(
                    lambda: importlib.import_module("desktop.services.workspace"), loaded
                )

        def first_screen(chats: list[Chat]) -> None:
            if current() and self.window.queue_model.rowCount() == 0:
                self.window.queue_model.set_chats(chats)
            # Once this screen is painted: importing the services on a worker holds the GIL
            # in turns with the GUI thread, and would put the paint off by ~20 ms.
            after_next_paint(self.window.queue.viewport(), load_services)

        # On the cache lane, which is idle until the cache opens: one executor reads the file.
        self.tasks.run_in_order(
            lambda: cached_chats(cache_dir), first_screen, lambda _e: load_services()
        )

    def _drop_workspace(self) -> None:
        """Before another server's workspace opens: the old one stops, and nothing of it
        reaches the views any more (its chats leave the window)."""
        old, self.workspace = self.workspace, None
        if old is None:
            return
        self._wiring.disconnect_all()
        self.demo_menu.show(False)
        old.shutdown()
        old.deleteLater()
        self.chat_views.close()
        self.window.queue_model.set_chats([])
        self.window.show_first_sync(-1, -1)

    def _services_loaded(
        self, workspace: Workspace, credentials: Credentials | None, demo: bool
    ) -> None:
        """The one place a workspace is wired to the views (and unwired, by ``_wiring``)."""
        workspace.setParent(self.window)  # deleted by Qt on the GUI thread, not by any GC run
        workspace.remembers_sign_in = not demo
        self.demo_menu.show(demo)
        self.workspace = workspace
        panel, wire = self.window.chat_panel, self._wiring.connect
        # What the workspace tells: every change once, the answers to what was asked, sign-in.
        wire(workspace.sig_changed, self.chat_views.show_changes)
        wire(workspace.sig_messages, self.messages.show_loaded)
        wire(workspace.sig_older, panel.show_older)
        wire(workspace.sig_draft, panel.set_draft)
        wire(workspace.sig_unsent, panel.restore_unsent)
        wire(workspace.sig_connection, self._show_connection)
        wire(workspace.sig_first_sync, self.window.show_first_sync)
        wire(workspace.sig_signed_in, self._signed_in)
        wire(workspace.sig_need_sign_in, self.sign_in_flow.need_sign_in)
        # What the chat panel asks of it.
        wire(panel.sig_need_older, workspace.history.load_older)
        wire(panel.sig_retry, workspace.sending.retry)
        wire(panel.sig_discard, workspace.sending.discard)
        wire(panel.sig_draft, workspace.drafts.save)
        if credentials is not None:
            workspace.open(credentials.email, credentials.password)
        else:
            workspace.open()

    def _show_connection(self, text: str) -> None:
        self.window.connection.setText(text)
        offline = self.workspace is not None and self.workspace.offline
        self.window.first_sync.show_connection(text, offline)

    def _signed_in(self, me: Me) -> None:
        self.sign_in_flow.signed_in()
        workspace = self.workspace
        if workspace is not None and workspace.remembers_sign_in:  # never the demo's
            folder, server = workspace.data_dir, workspace.server
            # On the ordered lane, as every settings write: in the order they were made.
            self.tasks.run_in_order(lambda: _remember_server(folder, server))
        self.window.settings_page.show_me(me)
        colleagues = {c["id"]: c["name"] for c in me.get("colleagues", [])}
        self.window.chat_panel.colleagues = colleagues
        self.window.queue_model.colleagues = colleagues
        self.window.queue_panel.show_me(me)
        self.messages.colleagues = colleagues
        self.messages.me_id = me.get("staff", {}).get("id")
        staff = me.get("staff", {}).get("name", "")
        self.attention.set_title(QCoreApplication.translate("App", "PetsApp — %s") % staff)
        if workspace is not None:
            self.attention.tray.set_muted(workspace.settings.mute_notifications)

    def _remember_mute(self, muted: bool) -> None:
        """The tray's "Mute notifications": kept for this PC in settings.json."""
        folder = self.workspace.data_dir if self.workspace is not None else self._data_dir()
        self.tasks.run_in_order(lambda: _remember(folder, "mute_notifications", muted))

    def sign_out(self) -> None:
        """Settings → "Sign out": on a shared PC nothing stays behind; unsent work is
        named first, since it is lost."""
        if self.workspace is None:
            return
        pending = self.workspace.pending
        from desktop.views.chat_dialogs import ask_sign_out_with_pending

        if pending and not ask_sign_out_with_pending(self.window, pending):
            return
        self.chat_views.close()
        self.attention.set_title(QCoreApplication.translate("App", "PetsApp"))
        self.workspace.sign_out()

    # ---- shutdown ------------------------------------------------------------------------

    def shutdown(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.sign_in_flow.close()
        self.help_menu.close()
        if self.chat_actions.new_chat is not None:
            self.chat_actions.new_chat.close()
        if self.workspace is not None:
            panel = self.window.chat_panel
            self._wiring.disconnect_all()  # nothing of the closing window reaches it now
            if panel.chat is not None:
                self.workspace.drafts.save(panel.chat["id"], panel.editor.toPlainText())
            self.workspace.shutdown()
        self.tasks.shutdown(wait=True)
        if self.demo is not None:
            self.demo.stop()
            self.demo = None


def _remembered_server(folder: Path) -> str | None:
    from desktop.services.settings import Settings  # on a worker: off the start-up path

    return Settings.load(folder).server


def _remember_server(folder: Path, server: str) -> None:
    from desktop.services.settings import remember_server

    remember_server(folder, server)


def _remember(folder: Path, key: str, value: str | bool) -> None:
    from desktop.services.settings import remember

    remember(folder, key, value)


class Wiring:
    """Connections made for one workspace, so that all of them can be dropped with it."""

    def __init__(self) -> None:
        self._made: list[tuple[Any, Any]] = []

    def connect(self, signal: Any, slot: Any) -> None:
        signal.connect(slot)
        self._made.append((signal, slot))

    def disconnect_all(self) -> None:
        for signal, slot in self._made:
            signal.disconnect(slot)
        self._made.clear()


def launch(argv: list[str] | None = None) -> MainWindow:
    """Build and show the main window (making the QApplication if needed); no event loop."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    qt_app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "petsapp"])
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("PetsApp Desktop")
    qt_app.setOrganizationName("PetsApp")
    qt_app.setDesktopFileName("petsapp-desktop")  # Wayland matches the window to its menu entry
    # Before any widget: the system's language (PETSAPP_LOCALE picks another), else English.
    translations.install_translators(qt_app)
    qt_app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "petsapp.svg")))
    # Follows the system's light/dark scheme; PETSAPP_COLOR_SCHEME=light|dark forces one.
    follow_system(qt_app, os.environ.get("PETSAPP_COLOR_SCHEME") or None)

    notices = NoticeBridge()
    tasks = TaskRunner(notices=notices)
    messages = MessageListModel()
    icons = {
        name: QIcon(str(resources_dir() / "icons" / f"{name}.svg")) for name in ("chat", "settings")
    }
    window = MainWindow(ChatListModel(), messages, icons)
    # Qt objects are owned by the window, so they are deleted with it on the GUI thread:
    # Python's garbage collector can run on a worker thread (a deadlock seen in tests).
    for owned in (messages, window.queue_model, tasks, notices):
        owned.setParent(window)
    app = App(args, window, tasks, notices, messages)
    window.app = app  # the window keeps its wiring alive
    qt_app.aboutToQuit.connect(app.shutdown)
    if os.environ.get("PETSAPP_STARTUP_PROBE"):
        from desktop.startup_probe import QueuePaintProbe

        window.probe = QueuePaintProbe(window)
    window.show()
    app.start()
    if args.smoke_test:
        from desktop.smoke import SmokeTest

        window.smoke = SmokeTest(app)
    return window


def main(argv: list[str] | None = None) -> int:
    # The user's log folder (PETSAPP_LOG_DIR to change it) and stderr; the file is attached
    # once the window is up (logging.handlers is off the start-up path), with what came first.
    attach_log_file = start_logging()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    problem = display_problem()
    if problem:
        attach_log_file()
        print(problem, file=sys.stderr)  # noqa: T201
        return 2
    try:
        window = launch(argv)
    except BaseException:
        attach_log_file()
        log.exception("the window could not open")
        raise
    qt_app = QApplication.instance()
    assert qt_app is not None
    QTimer.singleShot(0, attach_log_file)  # posted events (the first paint) go first
    code = qt_app.exec()
    exit_code = getattr(window.smoke, "exit_code", None)  # the smoke test's verdict, if run
    return int(exit_code) if exit_code is not None else int(code)
