"""The messages of the open chat, oldest first (one model, one delegate)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.services.records import is_stale, message_key
from desktop.views.formatting import day_label, short_time, status_text, tr

MessageRole = Qt.ItemDataRole.UserRole + 1
StatusTextRole = Qt.ItemDataRole.UserRole + 2
TimeRole = Qt.ItemDataRole.UserRole + 3
DayRole = Qt.ItemDataRole.UserRole + 4  # "Today", "Mon 24 Nov"... on a day's first message

Index = QModelIndex | QPersistentModelIndex
UNSENT = {"failed", "held"}


class MessageListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.chat_id: int | None = None
        self.is_sms = False
        self._messages: list[dict[str, Any]] = []
        self._row_of: dict[str, int] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._messages):
            return None
        message = self._messages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return message.get("body", "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            who = {"in": tr("Client"), "out": tr("You"), "internal": tr("Internal note")}
            state = status_text(message)
            text = f"{who.get(message.get('direction', ''), '')}: {message.get('body', '')}"
            return f"{text} ({state})" if state else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return status_text(message)
        if role == MessageRole:
            return message
        if role == StatusTextRole:
            return status_text(message)
        if role == TimeRole:
            return short_time(message.get("created_at"))
        if role == DayRole:
            day = day_label(message.get("created_at"))
            if (
                index.row() > 0
                and day_label(self._messages[index.row() - 1].get("created_at")) == day
            ):
                return ""
            return day
        return None

    def show_chat(self, chat_id: int, is_sms: bool, messages: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.chat_id = chat_id
        self.is_sms = is_sms
        self._messages = list(messages)
        self._reindex()
        self.endResetModel()

    def show_loaded(self, chat_id: int, rows: list[dict[str, Any]]) -> None:
        """History read from the cache. Anything the sync feed delivered meanwhile is newer
        than that read, so it wins and is kept."""
        if chat_id != self.chat_id:
            return
        merged = {message_key(m): m for m in rows}
        merged.update((message_key(m), m) for m in self._messages)
        ordered = sorted(
            merged.values(), key=lambda m: (str(m.get("created_at") or ""), message_key(m))
        )
        self.show_chat(chat_id, self.is_sms, ordered)

    def upsert(self, message: dict[str, Any]) -> None:
        """A new or changed message; ignored unless it belongs to the chat on show."""
        if message.get("chat_id") != self.chat_id:
            return
        key = message_key(message)
        row = self._row_of.get(key)
        if row is not None:
            if is_stale(message, self._messages[row]):
                return
            self._messages[row] = dict(self._messages[row], **message)
            index = self.index(row)
            self.dataChanged.emit(index, index)
            return
        row = len(self._messages)
        self.beginInsertRows(QModelIndex(), row, row)
        self._messages.append(message)
        self._row_of[key] = row
        self.endInsertRows()

    def prepend(self, chat_id: int, older: list[dict[str, Any]]) -> int:
        """Older history above what is shown; returns how many rows were added."""
        if chat_id != self.chat_id:
            return 0
        fresh = [m for m in older if message_key(m) not in self._row_of]
        if fresh:
            self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
            self._messages[:0] = fresh
            self._reindex()
            self.endInsertRows()
        return len(fresh)

    def oldest(self) -> dict[str, Any] | None:
        return self._messages[0] if self._messages else None

    def remove(self, key: str) -> None:
        row = self._row_of.get(key)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._messages[row]
        self._reindex()
        self.endRemoveRows()

    def first_unsent(self) -> dict[str, Any] | None:
        """The oldest message the outbox could not send (failed) or holds back (held)."""
        return next(
            (m for m in self._messages if m.get("pending") and m.get("status") in UNSENT), None
        )

    def _reindex(self) -> None:
        self._row_of = {message_key(m): row for row, m in enumerate(self._messages)}
