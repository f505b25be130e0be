"""How records read on screen: titles, times, message states."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.services.sms import format_phone


def tr(text: str) -> str:
    return QCoreApplication.translate("formatting", text)


def chat_title(chat: dict[str, Any]) -> str:
    """The queue and the header: names when known, else "Guest" and the number."""
    if chat.get("is_guest", True):
        phone = chat.get("phone")
        return f"{tr('Guest')} · {format_phone(phone)}" if phone else tr("Guest")
    return str(chat.get("title") or tr("Guest"))


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def short_time(text: str | None) -> str:
    moment = parse_time(text)
    if moment is None:
        return ""
    local = moment.astimezone()
    if local.date() == datetime.now(UTC).astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b")


def day_label(text: str | None) -> str:
    """The date separator's words: "Today", "Yesterday", or "Mon 24 Nov"."""
    moment = parse_time(text)
    if moment is None:
        return ""
    day = moment.astimezone().date()
    today = datetime.now(UTC).astimezone().date()
    if day == today:
        return tr("Today")
    if (today - day).days == 1:
        return tr("Yesterday")
    return day.strftime("%a %d %b" if day.year == today.year else "%a %d %b %Y")


STATUS_TEXT = {
    "pending": "Waiting to send",
    "held": "Held",
    "accepted": "Sending…",
    "queued": "Sent to the network",
    "sending": "Sent to the network",
    "sent": "Sent",
    "delivered": "Delivered",
    "undelivered": "Not delivered",
    "failed": "Failed",
    "received": "",
    "internal": "Internal note",
}


def status_text(message: dict[str, Any]) -> str:
    status = str(message.get("status", ""))
    text = tr(STATUS_TEXT.get(status, status))
    if status in {"failed", "held"} and message.get("error"):
        text = f"{text}: {message['error']}"
    elif status in {"failed", "undelivered"} and message.get("error_code"):
        text = f"{text} ({tr('error')} {message['error_code']})"
    return text
