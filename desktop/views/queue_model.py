"""The queue: every chat of the group, newest activity first (one model, one delegate)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.services.records import is_stale
from desktop.views.formatting import chat_title, short_time, tr

ChatRole = Qt.ItemDataRole.UserRole + 1
IsSmsRole = Qt.ItemDataRole.UserRole + 2
TimeRole = Qt.ItemDataRole.UserRole + 3
UnreadRole = Qt.ItemDataRole.UserRole + 4
PreviewRole = Qt.ItemDataRole.UserRole + 5

Index = QModelIndex | QPersistentModelIndex


def preview_text(chat: dict[str, Any], assignee: str | None = None) -> str:
    """The queue's second line: the last message (yours marked "You:"), and who has it."""
    last = chat.get("last_message") or {}
    body = " ".join(str(last.get("body", "")).split())
    text = f"{tr('You')}: {body}" if body and last.get("direction") == "out" else body
    if assignee:
        text = f"{text} · {assignee}" if text else assignee
    return text


def _sort_key(chat: dict[str, Any]) -> str:
    return str(chat.get("last_message_at") or chat.get("created_at") or "")


PAGE = 200  # rows handed to the view at a time: first paint stays quick with 10,000 chats


class ChatListModel(QAbstractListModel):
    """All chats, newest activity first. The view is given them a page at a time
    (``canFetchMore``/``fetchMore``), so a big group paints its first screen at once."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._chats: list[dict[str, Any]] = []
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
            kind = tr("SMS chat") if chat.get("kind") == "sms" else tr("PetsApp chat")
            parts = [chat_title(chat), kind]
            if unread := self._unread.get(chat["id"]):
                parts.append(tr("%1 unread").replace("%1", str(unread)))
            if preview := preview_text(chat):
                parts.append(preview)
            return ", ".join(parts)
        if role == UnreadRole:
            return self._unread.get(chat["id"], 0)
        if role == PreviewRole:
            return preview_text(chat, self.colleagues.get(chat.get("assignee_id") or 0))
        if role == ChatRole:
            return chat
        if role == IsSmsRole:
            return chat.get("kind") == "sms"
        if role == TimeRole:
            return short_time(_sort_key(chat))
        return None

    def chat_at(self, row: int) -> dict[str, Any]:
        return self._chats[row]

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

    def set_chats(self, chats: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._chats = sorted(chats, key=_sort_key, reverse=True)
        self._shown = min(PAGE, len(self._chats))
        self._reindex()
        self.endResetModel()

    def upsert(self, chat: dict[str, Any]) -> None:
        """Insert or update one chat, moving it to its place by newest activity."""
        old_row = self._row_of.get(chat["id"])
        if old_row is not None and is_stale(chat, self._chats[old_row]):
            return
        if old_row is not None:
            visible = old_row < self._shown
            if visible:
                self.beginRemoveRows(QModelIndex(), old_row, old_row)
            del self._chats[old_row]
            if visible:
                self._shown -= 1
                self.endRemoveRows()
        key = _sort_key(chat)
        row = next((i for i, c in enumerate(self._chats) if _sort_key(c) <= key), len(self._chats))
        visible = row < self._shown or self._shown == len(self._chats)
        if visible:
            self.beginInsertRows(QModelIndex(), row, row)
        self._chats.insert(row, chat)
        self._reindex()
        if visible:
            self._shown += 1
            self.endInsertRows()

    def _reindex(self) -> None:
        self._row_of = {chat["id"]: row for row, chat in enumerate(self._chats)}
