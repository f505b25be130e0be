"""What the chat's dialogs do: "New chat" (an SMS chat, or a PetsApp chat for a registered
owner) and "More" → "Update Pet Details", "Hand off", "Close chat" / "Reopen chat"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer

if TYPE_CHECKING:
    from desktop.services.records import Chat
    from desktop.services.workspace import Workspace
    from desktop.views.main_window import MainWindow
    from desktop.views.new_chat_dialog import NewChatDialog

log = logging.getLogger(__name__)


class ChatActions:
    """Opens the dialogs on the window and hands what they say to the workspace open now.
    (The dialogs' modules load when first used: off the start-up path.) Given what it uses,
    not the app: ``workspace`` answers with the open workspace (None when signed out)."""

    def __init__(
        self,
        window: MainWindow,
        workspace: Callable[[], Workspace | None],
        open_chat: Callable[[Chat], None],
        ask_to_sign_in: Callable[[], None],
    ) -> None:
        self._window = window
        self._workspace = workspace
        self._open_chat = open_chat
        self._ask_to_sign_in = ask_to_sign_in
        self.new_chat: NewChatDialog | None = None

    def _open_workspace(self) -> Workspace:
        workspace = self._workspace()
        assert workspace is not None  # the dialogs exist only while signed in
        return workspace

    def show_new_chat(self) -> None:
        workspace = self._workspace()
        if workspace is None or workspace.me is None:
            self._ask_to_sign_in()  # the dialog may have been closed: it comes back
            return
        me = workspace.me
        from desktop.views.new_chat_dialog import NewChatDialog

        dialog = NewChatDialog(me.get("clinics", []), me.get("support_email", ""), self._window)
        self.new_chat = dialog
        dialog.sig_start.connect(self._start_sms_chat)
        dialog.sig_start_app.connect(self._start_app_chat)
        dialog.open()

    def _start_sms_chat(self, clinic_id: int, phone: str) -> None:
        self._open_workspace().start_sms_chat(clinic_id, phone, *self._chat_started_callbacks())

    def _start_app_chat(self, clinic_id: int, owner_id: int) -> None:
        workspace = self._open_workspace()
        workspace.start_app_chat(clinic_id, owner_id, *self._chat_started_callbacks())

    def _chat_started_callbacks(
        self,
    ) -> tuple[Callable[[Chat], None], Callable[[BaseException], None]]:
        dialog = self.new_chat

        def opened(chat: Chat) -> None:
            if dialog is not None:
                dialog.accept()
            self._open_chat(chat)
            # The next thing is to write: once the dialog has gone and given the window back.
            QTimer.singleShot(0, self._window.chat_panel.editor.setFocus)

        def refused(error: BaseException) -> None:
            log.info("chat not started: %s", getattr(error, "code", type(error).__name__))
            if dialog is None:
                return
            if getattr(error, "code", None) == "owner_registered":
                dialog.show_registered_owner(getattr(error, "payload", {})["owner"])
            else:
                dialog.show_refusal(_plain(error))

        return opened, refused

    def show_details(self, chat: Chat) -> None:
        """ "More" → "Update Pet Details": names instead of "Guest"."""
        workspace = self._open_workspace()
        from desktop.views.chat_dialogs import DetailsDialog

        dialog = DetailsDialog(chat, self._window)
        dialog.sig_save.connect(
            # Written to the outbox: it shows as pending and goes when the server is reachable.
            lambda owner, pet: workspace.sending.update_details(
                chat["id"], owner, pet, dialog.accept
            )
        )
        dialog.open()

    def show_hand_off(self, chat: Chat) -> None:
        """ "More" → "Hand off": a colleague and an internal note."""
        workspace = self._open_workspace()
        me = workspace.me
        assert me is not None
        from desktop.views.chat_dialogs import HandOffDialog

        dialog = HandOffDialog(me.get("colleagues", []), me["staff"]["id"], self._window)
        dialog.sig_hand_off.connect(
            lambda staff_id, note: workspace.sending.hand_off(
                chat["id"], staff_id, note, dialog.accept
            )
        )
        dialog.open()

    def set_status(self, chat_id: int, status: str) -> None:
        """ "More" → "Close chat" / "Reopen chat"."""
        self._open_workspace().sending.set_status(chat_id, status)


def _plain(error: BaseException) -> str:
    """What to tell the user about a failed request, in plain words."""
    from desktop.services.api import ApiError, OfflineError  # loaded by then

    if isinstance(error, ApiError):
        return error.message
    if isinstance(error, OfflineError):
        return str(error)
    log.error("unexpected failure", exc_info=error)
    return QCoreApplication.translate(
        "App", "Something went wrong on this computer; the details are in the log. Try again."
    )
