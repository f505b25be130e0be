"""The messages of the open chat, oldest first (one model, one delegate)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop.services.records import Message, is_stale, message_key, message_order
from desktop.views.formatting import (
    day_label,
    local_day,
    parse_time,
    short_time,
    status_text,
    today_here,
)

MessageRole = Qt.ItemDataRole.UserRole + 1
StatusTextRole = Qt.ItemDataRole.UserRole + 2
TimeRole = Qt.ItemDataRole.UserRole + 3
DayRole = Qt.ItemDataRole.UserRole + 4  # "Today", "Mon 24 Nov"... on a day's first message
SenderRole = Qt.ItemDataRole.UserRole + 5  # who wrote it: on the first bubble of a group only
UnsentRole = Qt.ItemDataRole.UserRole + 6  # "failed" or "held" while the outbox has it; else ""
# What a bubble's height depends on, in one call (sizeHint asks for each row, often):
# (key, text, day, sender, unsent).
LayoutRole = Qt.ItemDataRole.UserRole + 7

Index = QModelIndex | QPersistentModelIndex
UNSENT = {"failed", "held"}
GROUP_GAP = timedelta(minutes=5)  # a longer pause starts a new group of bubbles


class MessageListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.chat_id: int | None = None
        self.is_sms = False
        self._messages: list[Message] = []
        self._row_of: dict[str, int] = {}
        self._unsent: set[str] = set()
        self._days: dict[int, tuple[date, str]] = {}  # row -> (on which day, its words)
        self.me_id: int | None = None
        self.colleagues: dict[int, str] = {}
        self.client_name = ""

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._messages):
            return None
        message = self._messages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return message.get("body", "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # Read out whole: who wrote it (every bubble, not only a group's first), what,
            # and its state.
            state = status_text(message)
            text = f"{self.sender_name(message)}: {message.get('body', '')}"
            return f"{text} ({state})" if state else text
        if role == LayoutRole:
            return (
                message_key(message),
                message.get("body", "") or " ",
                self._day(index.row()),
                self._sender(index.row()),
                self._unsent_state(message),
            )
        if role == SenderRole:
            return self._sender(index.row())
        if role == UnsentRole:
            return self._unsent_state(message)
        if role == Qt.ItemDataRole.ToolTipRole:
            return status_text(message)
        if role == MessageRole:
            return message
        if role == StatusTextRole:
            return status_text(message)
        if role == TimeRole:  # once per burst: under its last bubble
            row = index.row()
            if row + 1 < len(self._messages) and not self._starts_group(row + 1):
                return ""
            return short_time(message.get("created_at"))
        if role == DayRole:
            return self._day(index.row())
        return None

    def _day(self, row: int) -> str:
        """The day's words on its first message, else "". Kept per row until the rows or
        the day change: a layout asks for every row, several times."""
        today = today_here()
        known = self._days.get(row)
        if known is not None and known[0] == today:
            return known[1]
        day = day_label(self._messages[row].get("created_at"))
        if row > 0 and day_label(self._messages[row - 1].get("created_at")) == day:
            day = ""
        self._days[row] = (today, day)
        return day

    def _sender(self, row: int) -> str:
        return self.sender_name(self._messages[row]) if self._starts_group(row) else ""

    def _unsent_state(self, message: Message) -> str:
        return str(message.get("status") or "") if message_key(message) in self._unsent else ""

    def sender_name(self, message: Message) -> str:
        direction = message.get("direction")
        if direction == "in":
            return self.client_name or self.tr("Client")
        sender = message.get("sender_id")
        if sender is None:
            return self.tr("Automatic message")  # e.g. the welcome text of a new SMS chat
        if sender == self.me_id:
            name = self.tr("You")
        else:
            name = self.colleagues.get(sender, self.tr("Colleague"))
        if direction != "internal":
            return name
        note = self.tr("Internal note")  # not inside the f-string: lupdate would miss it
        return f"{note} · {name}"

    def _starts_group(self, row: int) -> bool:
        """Bubbles group while one person writes on: same side, same writer, same day, no
        long pause. Only a group's first bubble names the writer."""
        if row == 0:
            return True
        this, before = self._messages[row], self._messages[row - 1]
        if (this.get("direction"), this.get("sender_id")) != (
            before.get("direction"),
            before.get("sender_id"),
        ):
            return True
        this_time, before_time = (
            parse_time(this.get("created_at")),
            parse_time(before.get("created_at")),
        )
        if this_time is None or before_time is None:
            return False
        return this_time - before_time > GROUP_GAP or local_day(
            this.get("created_at")
        ) != local_day(before.get("created_at"))

    def show_chat(
        self, chat_id: int, is_sms: bool, messages: list[Message], client_name: str = ""
    ) -> None:
        self.beginResetModel()
        self.chat_id = chat_id
        self.is_sms = is_sms
        self.client_name = client_name
        self._messages = list(messages)
        self._reindex()
        self.endResetModel()

    def set_client_name(self, name: str) -> None:
        """The chat's owner was named (Update Pet Details, or they registered): every
        bubble of theirs says the new name, the older ones too."""
        if name == self.client_name:
            return
        self.client_name = name
        if self._messages:
            self.dataChanged.emit(self.index(0), self.index(len(self._messages) - 1))

    def show_loaded(self, chat_id: int, rows: list[Message]) -> None:
        """History read from the cache. Anything the sync feed delivered meanwhile is newer
        than that read, so it wins and is kept."""
        if chat_id != self.chat_id:
            return
        merged = {message_key(m): m for m in rows}
        merged.update((message_key(m), m) for m in self._messages)
        ordered = sorted(merged.values(), key=message_order)
        self.show_chat(chat_id, self.is_sms, ordered, self.client_name)

    def upsert(self, message: Message) -> None:
        """A new or changed message; ignored unless it belongs to the chat on show."""
        if message.get("chat_id") != self.chat_id:
            return
        key = message_key(message)
        row = self._row_of.get(key)
        if row is not None:
            if is_stale(message, self._messages[row]):
                return
            merged = self._messages[row].copy()
            merged.update(message)
            self._messages[row] = merged
            self._days.pop(row, None)
            self._days.pop(row + 1, None)
            self._track_unsent(key, merged)
            index = self.index(row)
            self.dataChanged.emit(index, index)
            self._move_into_place(row)
            return
        row = self._place_for(message_order(message), len(self._messages))
        self.beginInsertRows(QModelIndex(), row, row)
        self._messages.insert(row, message)
        if row == len(self._messages) - 1:
            self._row_of[key] = row
            self._days.pop(row, None)
        else:
            self._reindex()
        self._track_unsent(key, message)
        self.endInsertRows()
        if row > 0:  # the bubble above may now be inside a burst: its time goes
            above = self.index(row - 1)
            self.dataChanged.emit(above, above)

    def _place_for(self, order: tuple[int, str, str], end: int) -> int:
        """The row a message of this ``order`` goes to among rows ``[0, end)``: looked for
        from the bottom, where new messages almost always belong."""
        row = end
        while row > 0 and message_order(self._messages[row - 1]) > order:
            row -= 1
        return row

    def _move_into_place(self, row: int) -> None:
        """The server's copy of a message written here has the server's time: if others
        reached the server first, it moves up among them."""
        order = message_order(self._messages[row])
        target = self._place_for(order, row)
        if target == row:
            return
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target)
        self._messages.insert(target, self._messages.pop(row))
        self._reindex()
        self.endMoveRows()
        # Rows from its new place to just below its old one have new neighbours: their day
        # and group marks may change.
        self.dataChanged.emit(self.index(target), self.index(min(row + 1, len(self._messages) - 1)))

    def prepend(self, chat_id: int, older: list[Message]) -> int:
        """Older history above what is shown; returns how many rows were added."""
        if chat_id != self.chat_id:
            return 0
        fresh = [m for m in older if message_key(m) not in self._row_of]
        if fresh:
            self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
            self._messages[:0] = fresh
            self._reindex()
            self.endInsertRows()
            # The first row shown before may now continue a group, or share its day.
            boundary = self.index(len(fresh))
            self.dataChanged.emit(boundary, boundary)
        return len(fresh)

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def oldest(self) -> Message | None:
        return self._messages[0] if self._messages else None

    def remove(self, key: str) -> None:
        row = self._row_of.get(key)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._messages[row]
        self._reindex()
        self.endRemoveRows()
        if row < len(self._messages):  # the next bubble may now start a group
            below = self.index(row)
            self.dataChanged.emit(below, below)

    def unsent_rows(self) -> list[int]:
        """Rows of messages the outbox could not send (failed) or holds back (held)."""
        return sorted(self._row_of[key] for key in self._unsent)

    def _track_unsent(self, key: str, message: Message) -> None:
        if message.get("pending") and message.get("status") in UNSENT:
            self._unsent.add(key)
        else:
            self._unsent.discard(key)

    def _reindex(self) -> None:
        self._days.clear()
        self._row_of = {message_key(m): row for row, m in enumerate(self._messages)}
        self._unsent = set()
        for key, row in self._row_of.items():
            self._track_unsent(key, self._messages[row])
