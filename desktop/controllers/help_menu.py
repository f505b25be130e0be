"""The Help menu: the log folder, the About box, the keyboard shortcuts. (Their modules load
when first used: ``importlib.metadata`` alone is ~25 ms, off the start-up path.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop.services.notices import NoticeBridge
from desktop.views.main_window import MainWindow

if TYPE_CHECKING:
    from desktop.services.workspace import Workspace
    from desktop.views.about_dialog import AboutDialog


class HelpMenu:
    def __init__(
        self,
        window: MainWindow,
        notices: NoticeBridge,
        workspace: Callable[[], Workspace | None],
        data_dir: Callable[[], Path],
    ) -> None:
        self._window = window
        self._notices = notices
        self._workspace = workspace
        self._data_dir = data_dir
        self.about: AboutDialog | None = None
        window.open_log_folder_action.triggered.connect(self.open_log_folder)
        window.about_action.triggered.connect(self.show_about)
        window.shortcuts_action.triggered.connect(self.show_shortcuts)

    def open_log_folder(self) -> None:
        from desktop import help_actions

        opened, folder = help_actions.open_log_folder()
        if not opened:
            self._notices.error(
                QCoreApplication.translate("App", "The log folder could not be opened: %s") % folder
            )

    def show_about(self) -> None:
        workspace = self._workspace()
        server, data_dir = "", self._data_dir()
        if workspace is not None:
            server, data_dir = workspace.server, workspace.data_dir
            if not workspace.remembers_sign_in:
                server = (
                    QCoreApplication.translate("App", "%s (the demo, on this computer)") % server
                )
        if self.about is not None:
            self.about.close()
        from desktop import help_actions

        self.about = help_actions.about_dialog(server, data_dir, self._window)
        self.about.open()

    def show_shortcuts(self) -> None:
        from desktop.views.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self._window).open()

    def close(self) -> None:
        if self.about is not None:
            self.about.close()
