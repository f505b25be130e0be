"""How records read on screen: titles, times, message states."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from desktop.services.records import Chat, Message
from desktop.services.tr_marks import QT_TRANSLATE_NOOP
from petsapp_common.sms import format_phone

# Translated as QCoreApplication.translate("formatting", "...") at each use, spelled out:
# lupdate only extracts literal translate()/tr() calls, never a helper's argument.


def chat_title(chat: Chat) -> str:
    """The queue and the header: names when known, else "Guest" and the number."""
    if chat.get("is_guest", True):
        number = chat.get("phone")
        phone = chat.get("phone_display") or (number and format_phone(number))
        guest = QCoreApplication.translate("formatting", "Guest")
        return f"{guest} · {phone}" if phone else guest
    return str(chat.get("title") or QCoreApplication.translate("formatting", "Guest"))


def client_name(chat: Chat) -> str:
    """Who the clinic talks to in this chat: the owner's name, else "Guest"."""
    return str(chat.get("owner_name") or QCoreApplication.translate("formatting", "Guest"))


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
        return f"{local.hour:02d}:{local.minute:02d}"
    return _in_locale(local.date(), "d MMM")


def day_label(text: str | None) -> str:
    """The date separator's words: "Today", "Yesterday", or "Mon 24 Nov"."""
    moment = parse_time(text)
    if moment is None:
        return ""
    day = moment.astimezone().date()
    today = datetime.now(UTC).astimezone().date()
    if day == today:
        return QCoreApplication.translate("formatting", "Today")
    if (today - day).days == 1:
        return QCoreApplication.translate("formatting", "Yesterday")
    return _in_locale(day, "ddd d MMM" if day.year == today.year else "ddd d MMM yyyy")


def _in_locale(day: date, pattern: str) -> str:
    """A date with the day and month names of the user's language (Qt's locale, not
    Python's, which stays in C/English unless the process sets it)."""
    return QLocale().toString(QDate(day.year, day.month, day.day), pattern)


# Marked for translation here, translated when shown (status_text).
STATUS_TEXT = {
    "pending": QT_TRANSLATE_NOOP("formatting", "Waiting to send"),
    "held": QT_TRANSLATE_NOOP("formatting", "Held"),
    "accepted": QT_TRANSLATE_NOOP("formatting", "Sending…"),
    "queued": QT_TRANSLATE_NOOP("formatting", "Sent to the network"),
    "sending": QT_TRANSLATE_NOOP("formatting", "Sent to the network"),
    "sent": QT_TRANSLATE_NOOP("formatting", "Sent"),
    "delivered": QT_TRANSLATE_NOOP("formatting", "Delivered"),
    "undelivered": QT_TRANSLATE_NOOP("formatting", "Not delivered"),
    "failed": QT_TRANSLATE_NOOP("formatting", "Failed"),
    "received": "",
    "internal": QT_TRANSLATE_NOOP("formatting", "Internal note"),
}


def status_text(message: Message) -> str:
    status = str(message.get("status", ""))
    shown = STATUS_TEXT.get(status, status)
    text = QCoreApplication.translate("formatting", shown) if shown else ""
    if status in {"failed", "held"} and message.get("error"):
        text = f"{text}: {message['error']}"
    elif status in {"failed", "undelivered"} and message.get("error_code"):
        error = QCoreApplication.translate("formatting", "error")
        text = f"{text} ({error} {message['error_code']})"
    return text
