"""How records read on screen: titles, times, message states."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from functools import lru_cache

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from desktop.services.records import Chat, Message
from desktop.services.tr_marks import QT_TRANSLATE_NOOP

# Translated as QCoreApplication.translate("formatting", "...") at each use, spelled out:
# lupdate only extracts literal translate()/tr() calls, never a helper's argument.


def chat_title(chat: Chat) -> str:
    """The queue and the header: names when known, else "Guest" and the number."""
    if chat.get("is_guest", True):
        number = chat.get("phone")
        phone = chat.get("phone_display") or (number and _formatted(number))
        guest = QCoreApplication.translate("formatting", "Guest")
        return f"{guest} · {phone}" if phone else guest
    return str(chat.get("title") or QCoreApplication.translate("formatting", "Guest"))


def _formatted(number: str) -> str:
    """A number the backend sent without its display form (an older cache's chats)."""
    from petsapp_common.sms import format_phone  # its SMS rules: off the start-up path

    return format_phone(number)


def client_name(chat: Chat) -> str:
    """Who the clinic talks to in this chat: the owner's name, else "Guest"."""
    return str(chat.get("owner_name") or QCoreApplication.translate("formatting", "Guest"))


@lru_cache(maxsize=4096)  # a chat's times are read over and over as its bubbles lay out
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


@lru_cache(maxsize=4096)
def local_day(text: str | None) -> date | None:
    """The day (on this PC's clock) of a record's time."""
    moment = parse_time(text)
    return None if moment is None else moment.astimezone().date()


def day_label(text: str | None) -> str:
    """The date separator's words: "Today", "Yesterday", or "Mon 24 Nov"."""
    day = local_day(text)
    if day is None:
        return ""
    today = today_here()
    if day == today:
        return QCoreApplication.translate("formatting", "Today")
    if (today - day).days == 1:
        return QCoreApplication.translate("formatting", "Yesterday")
    return _in_locale(day, "ddd d MMM" if day.year == today.year else "ddd d MMM yyyy")


class _Today:
    """Today on this PC's clock, read once a second at most: it is asked for every bubble
    as a chat lays out."""

    def __init__(self) -> None:
        self._read_at = -10.0
        self._day = date.min

    def __call__(self) -> date:
        now = time.monotonic()
        if now - self._read_at > 1.0:
            self._read_at, self._day = now, datetime.now(UTC).astimezone().date()
        return self._day


today_here = _Today()


def _in_locale(day: date, pattern: str) -> str:
    """A date with the day and month names of the user's language (Qt's locale, not
    Python's, which stays in C/English unless the process sets it)."""
    return _formatted_day(day, pattern, QLocale().name())


@lru_cache(maxsize=1024)  # a chat's days, formatted once per language
def _formatted_day(day: date, pattern: str, language: str) -> str:
    return QLocale(language).toString(QDate(day.year, day.month, day.day), pattern)


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
