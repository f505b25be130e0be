"""The queue: the chats of the group its filter lets through, newest activity first (one
model, one delegate). The filter's rules are plain Python (``services/chat_filter.py``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop.services.chat_filter import ChatFilter
from desktop.services.records import Chat, LastMessage, is_stale
from desktop.views.formatting import chat_title, short_time

ChatRole = Qt.ItemDataRole.UserRole + 1
IsSmsRole = Qt.ItemDataRole.UserRole + 2
TimeRole = Qt.ItemDataRole.UserRole + 3
UnreadRole = Qt.ItemDataRole.UserRole + 4
PreviewRole = Qt.ItemDataRole.UserRole + 5
AssigneeRole = Qt.ItemDataRole.UserRole + 20  # who has the chat, short ("Alex M."), or ""

Index = QModelIndex | QPersistentModelIndex


def preview_text(chat: Chat) -> str:
    """The queue's second line: the last message (yours marked "You:")."""
    last: LastMessage | dict[str, str] = chat.get("last_message") or {}
    body = " ".join(str(last.get("body", "")).split())
    you = QCoreApplication.translate("ChatListModel", "You")
    return f"{you}: {body}" if body and last.get("direction") == "out" else body


def short_name(name: str) -> str:
    """ "Alex Morgan" -> "Alex M.": who has a chat, in the few characters the row has."""
    parts = name.split()
    return f"{parts[0]} {parts[-1][0]}." if len(parts) > 1 else name


def _sort_key(chat: Chat) -> str:
    return str(chat.get("last_message_at") or chat.get("created_at") or "")


def _order(chat: Chat) -> tuple[str, int]:
    """Newest activity first; the id settles ties, so every filter lists them alike."""
    return _sort_key(chat), int(chat["id"])


PAGE = 200  # rows handed to the view at a time: first paint stays quick with 10,000 chats


class ChatListModel(QAbstractListModel):
    """The chats the filter lets through, newest activity first. The view is given them a
    page at a time (``canFetchMore``/``fetchMore``), so a big group paints its first screen
    at once. Rows, ``chat_at`` and ``row_of`` are about the filtered list; the model keeps
    every chat so that a filter change or a chat that starts matching needs no reload."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._by_id: dict[int, Chat] = {}  # every chat, the newest version
        self._filter = ChatFilter()
        self._chats: list[Chat] = []  # those the filter lets through, in order
        self._shown = 0
        self._row_of: dict[int, int] = {}
        self._unread: dict[int, int] = {}
        self.colleagues: dict[int, str] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < len(self._chats)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = min(PAGE, len(self._chats) - self._shown)
        if more > 0:
            self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
            self._shown += more
            self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        chat = self._chats[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return chat_title(chat)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            kind = self.tr("SMS chat") if chat.get("kind") == "sms" else self.tr("PetsApp chat")
            parts = [chat_title(chat), kind]
            if chat.get("status") == "closed":
                parts.append(self.tr("Closed"))
            if unread := self._unread.get(chat["id"]):
                parts.append(self.tr("%1 unread").replace("%1", str(unread)))
            if preview := preview_text(chat):
                parts.append(preview)
            return ", ".join(parts)
        if role == UnreadRole:
            return self._unread.get(chat["id"], 0)
        if role == PreviewRole:
            return preview_text(chat)
        if role == AssigneeRole:
            return short_name(self.colleagues.get(chat.get("assignee_id") or 0, ""))
        if role == ChatRole:
            return chat
        if role == IsSmsRole:
            return chat.get("kind") == "sms"
        if role == TimeRole:
            return short_time(_sort_key(chat))
        return None

    def chat_at(self, row: int) -> Chat:
        return self._chats[row]

    def chat_by_id(self, chat_id: int) -> Chat | None:
        """The newest version of any chat of the group, whether the filter shows it or not."""
        return self._by_id.get(chat_id)

    def total(self) -> int:
        """Rows the filter lets through, including those not handed to the view yet."""
        return len(self._chats)

    @property
    def filter(self) -> ChatFilter:
        return self._filter

    def set_filter(self, chat_filter: ChatFilter) -> None:
        """Show the chats ``chat_filter`` lets through (10,000 chats: a few milliseconds)."""
        self.beginResetModel()
        self._filter = chat_filter
        self._chats = sorted(chat_filter.select(self._by_id.values()), key=_order, reverse=True)
        self._shown = min(PAGE, len(self._chats))
        self._row_of = {}
        self._reindex()
        self.endResetModel()

    def unread_count(self, chat_id: int) -> int:
        return self._unread.get(chat_id, 0)

    def find_row(
        self, start: int | None, step: int, *, unread: bool = False, wrap: bool = False
    ) -> int | None:
        """The next row from ``start`` (None: from before the first row, or after the last
        when ``step`` is negative) going by ``step``: any row, or only one with unread
        messages; at the end, stop or (``wrap``) go round. None when there is none."""
        count = len(self._chats)
        if count == 0:
            return None
        if start is None:
            start = -1 if step > 0 else count
        for n in range(1, count + 1):
            row = start + step * n
            if wrap:
                row %= count
            elif not 0 <= row < count:
                return None
            if not unread or self._unread.get(self._chats[row]["id"]):
                return row
        return None

    def set_unread(self, counts: dict[int, int]) -> None:
        """Counts for the chats that changed (0 clears one)."""
        for chat_id, count in counts.items():
            self._unread[chat_id] = count
            row = self._row_of.get(chat_id)
            if row is not None and row < self._shown:
                index = self.index(row)
                self.dataChanged.emit(index, index, [UnreadRole])

    def row_of(self, chat_id: int) -> int | None:
        """The chat's row, handing the view more rows first if it is further down."""
        row = self._row_of.get(chat_id)
        while row is not None and row >= self._shown:
            self.fetchMore()
        return row

    def set_chats(self, chats: list[Chat]) -> None:
        self._by_id = {chat["id"]: chat for chat in chats}
        self.set_filter(self._filter)

    def upsert(self, chat: Chat) -> None:
        """Insert or update one chat, moving it to its place by newest activity; a chat
        that stops matching the filter leaves the list, one that starts matching enters."""
        current = self._by_id.get(chat["id"])
        if current is not None and is_stale(chat, current):
            return
        self._by_id[chat["id"]] = chat
        old_row = self._row_of.pop(chat["id"], None)
        if old_row is not None:
            visible = old_row < self._shown
            if visible:
                self.beginRemoveRows(QModelIndex(), old_row, old_row)
            del self._chats[old_row]
            if visible:
                self._shown -= 1
                self.endRemoveRows()
        if not self._filter.matches(chat):
            if old_row is not None:
                self._reindex(old_row)
            return
        row = self._insert_row(_order(chat))
        visible = row < self._shown or self._shown == len(self._chats)
        if visible:
            self.beginInsertRows(QModelIndex(), row, row)
        self._chats.insert(row, chat)
        # Only the rows between the old and the new place moved.
        if old_row is None:
            self._reindex(row)
        else:
            self._reindex(min(row, old_row), max(row, old_row) + 1)
        if visible:
            self._shown += 1
            self.endInsertRows()

    def _insert_row(self, key: tuple[str, int]) -> int:
        """Where a chat with this order goes (binary search: the list is newest first)."""
        low, high = 0, len(self._chats)
        while low < high:
            middle = (low + high) // 2
            if _order(self._chats[middle]) > key:
                low = middle + 1
            else:
                high = middle
        return low

    def _reindex(self, start: int = 0, stop: int | None = None) -> None:
        chats = self._chats
        for row in range(start, len(chats) if stop is None else stop):
            self._row_of[chats[row]["id"]] = row
