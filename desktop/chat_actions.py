"""What the chat's dialogs do: "New chat" (an SMS chat, or a PetsApp chat for a registered
owner) and "More" → "Update Pet Details", "Hand off", "Close chat" / "Reopen chat"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from desktop.app import App
    from desktop.views.new_chat_dialog import NewChatDialog

log = logging.getLogger(__name__)


class ChatActions:
    """Opens the dialogs on the app's window and hands what they say to its workspace.
    (The dialogs' modules load when first used: off the start-up path.)"""

    def __init__(self, app: App) -> None:
        self._app = app
        self.new_chat: NewChatDialog | None = None

    def show_new_chat(self) -> None:
        if self._app.workspace is None or self._app.workspace.me is None:
            self._app.ask_to_sign_in()  # the dialog may have been closed: it comes back
            return
        me = self._app.workspace.me
        from desktop.views.new_chat_dialog import NewChatDialog

        dialog = NewChatDialog(me.get("clinics", []), me.get("support_email", ""), self._app.window)
        self.new_chat = dialog
        dialog.sig_start.connect(self._start_sms_chat)
        dialog.sig_start_app.connect(self._start_app_chat)
        dialog.open()

    def _start_sms_chat(self, clinic_id: int, phone: str) -> None:
        assert self._app.workspace is not None
        self._app.workspace.start_sms_chat(clinic_id, phone, *self._chat_started_callbacks())

    def _start_app_chat(self, clinic_id: int, owner_id: int) -> None:
        assert self._app.workspace is not None
        self._app.workspace.start_app_chat(clinic_id, owner_id, *self._chat_started_callbacks())

    def _chat_started_callbacks(
        self,
    ) -> tuple[Callable[[dict[str, Any]], None], Callable[[BaseException], None]]:
        dialog = self.new_chat

        def opened(chat: dict[str, Any]) -> None:
            if dialog is not None:
                dialog.accept()
            self._app.open_chat(chat)

        def refused(error: BaseException) -> None:
            log.info("chat not started: %s", getattr(error, "code", type(error).__name__))
            if dialog is None:
                return
            if getattr(error, "code", None) == "owner_registered":
                dialog.show_registered_owner(getattr(error, "payload", {})["owner"])
            else:
                dialog.show_refusal(_plain(error))

        return opened, refused

    def show_details(self, chat: dict[str, Any]) -> None:
        """ "More" → "Update Pet Details": names instead of "Guest"."""
        assert self._app.workspace is not None
        from desktop.views.chat_dialogs import DetailsDialog

        dialog = DetailsDialog(chat, self._app.window)
        workspace = self._app.workspace
        dialog.sig_save.connect(
            # Written to the outbox: it shows as pending and goes when the server is reachable.
            lambda owner, pet: workspace.update_details(chat["id"], owner, pet, dialog.accept)
        )
        dialog.open()

    def show_hand_off(self, chat: dict[str, Any]) -> None:
        """ "More" → "Hand off": a colleague and an internal note."""
        assert self._app.workspace is not None and self._app.workspace.me is not None
        me = self._app.workspace.me
        from desktop.views.chat_dialogs import HandOffDialog

        dialog = HandOffDialog(me.get("colleagues", []), me["staff"]["id"], self._app.window)
        workspace = self._app.workspace
        dialog.sig_hand_off.connect(
            lambda staff_id, note: workspace.hand_off(chat["id"], staff_id, note, dialog.accept)
        )
        dialog.open()

    def set_status(self, chat_id: int, status: str) -> None:
        """ "More" → "Close chat" / "Reopen chat"."""
        assert self._app.workspace is not None
        self._app.workspace.set_status(chat_id, status)


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
