"""The sign-in dialog: when to show it, what it says, and where its answer goes (the open
workspace's server, another server, or the demo)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop.views.main_window import MainWindow

if TYPE_CHECKING:
    # The dialog loads when first shown: off the start-up path (bench/ui.py times it).
    from desktop.services.workspace import Workspace
    from desktop.views.login_dialog import LoginDialog


@dataclass
class Credentials:
    """What was typed in the sign-in dialog, for a workspace that opens to use it."""

    email: str
    password: str = field(repr=False)


class SignInFlow:
    def __init__(
        self,
        window: MainWindow,
        workspace: Callable[[], Workspace | None],
        open_server: Callable[[str, Credentials], None],
        start_demo: Callable[[], None],
    ) -> None:
        """``workspace()`` is the open workspace (None before one is loaded);
        ``open_server(server, credentials)`` opens another server's workspace to sign in."""
        self._window = window
        self._workspace = workspace
        self._open_server = open_server
        self._start_demo = start_demo
        self.login: LoginDialog | None = None

    def need_sign_in(self, reason: str) -> None:
        """The workspace asks for it (no stored token, the session ended, signed out)."""
        workspace = self._workspace()
        self.show(workspace.server if workspace is not None else "", reason)

    def ask_again(self) -> None:
        """The dialog again (it was closed, and something needs a session)."""
        self.need_sign_in(QCoreApplication.translate("App", "Sign in first."))

    def show(self, server: str, reason: str) -> None:
        """The dialog, with the server address to use (empty on first run)."""
        if self._workspace() is None:  # no server in use yet: nothing is connecting
            self._window.connection.setText(QCoreApplication.translate("App", "Not signed in"))
        if self.login is None:
            from desktop.views.login_dialog import LoginDialog

            self.login = LoginDialog(server, self._window)
            self.login.sig_sign_in.connect(self._sign_in_requested)
            self.login.sig_try_demo.connect(self._start_demo)
            self.login.open()
            if not server:
                return  # first run: the dialog's welcome stays
            reason = reason or self.login.server_problem()  # e.g. an unusable --server
        elif not self.login.isVisible():
            self.login.open()
        self.login.show_problem(reason)

    def problem(self, text: str) -> None:
        """Something the dialog's user should read there (the demo did not start)."""
        if self.login is not None:
            self.login.show_problem(text)

    def signed_in(self) -> None:
        if self.login is not None:
            self.login.accept()
            self.login = None

    def close(self) -> None:
        if self.login is not None:
            self.login.close()

    def _sign_in_requested(self, server: str, email: str, password: str) -> None:
        """The dialog's "Sign in": to the workspace's server, or to another one (which gets
        its own workspace and cache; the address is remembered once sign-in succeeds)."""
        workspace = self._workspace()
        if workspace is not None and workspace.server == server:
            workspace.sign_in(email, password)
        else:
            self._open_server(server, Credentials(email, password))
