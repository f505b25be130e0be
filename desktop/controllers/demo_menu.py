"""The Demo menu (the demo only): "Text in as the client…" writes to the clinic as the open
chat's owner, by the path their message would take (SMS through the sandbox)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu

from desktop.services.notices import NoticeBridge
from desktop.views.formatting import client_name
from desktop.views.main_window import MainWindow

if TYPE_CHECKING:
    from desktop.services.workspace import Workspace
    from desktop.views.text_in_dialog import TextInDialog


class DemoMenu:
    def __init__(
        self,
        window: MainWindow,
        workspace: Callable[[], Workspace | None],
        notices: NoticeBridge,
    ) -> None:
        self._window = window
        self._workspace = workspace
        self._notices = notices
        self.menu = QMenu(QCoreApplication.translate("DemoMenu", "&Demo"), window)
        window.menuBar().insertMenu(window.help_menu.menuAction(), self.menu)  # before Help
        self.text_in_action = self.menu.addAction(
            QCoreApplication.translate("DemoMenu", "Text in as the client…")
        )
        self.text_in_action.triggered.connect(self.ask_for_text)
        self.menu.menuAction().setVisible(False)
        self.dialog: TextInDialog | None = None

    def show(self, demo: bool) -> None:
        """The open workspace is the demo's (or not: the menu goes)."""
        self.menu.menuAction().setVisible(demo)
        if not demo and self.dialog is not None:
            self.dialog.close()

    def ask_for_text(self) -> None:
        chat = self._window.chat_panel.chat
        if chat is None:
            self._notices.info(
                QCoreApplication.translate(
                    "DemoMenu", "Open a chat first: the text comes from its owner."
                )
            )
            return
        from desktop.views.text_in_dialog import TextInDialog

        if self.dialog is not None:
            self.dialog.close()
        self.dialog = TextInDialog(client_name(chat), self._window)
        self.dialog.sig_text.connect(lambda body: self._text_in(chat["id"], body))
        self.dialog.open()

    def _text_in(self, chat_id: int, body: str) -> None:
        workspace = self._workspace()
        if workspace is not None:
            workspace.demo_text_in(chat_id, body)
