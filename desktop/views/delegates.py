"""Painting the queue rows and the message bubbles (no widget per row)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.services.records import message_key
from desktop.views import message_model, queue_model
from desktop.views.formatting import tr

Index = QModelIndex | QPersistentModelIndex

# Bubble colours. SMS chats get their own colour so nobody forgets the client reads a text.
APP_OUT = QColor("#2f6fde")
SMS_OUT = QColor("#1e8a5a")
INBOUND = QColor("#eceff3")
INTERNAL = QColor("#fff3c4")
FAILED = QColor("#b3261e")

QUEUE_ROW_HEIGHT = 56
BUBBLE_PADDING = 10
BUBBLE_MARGIN = 12
STATUS_HEIGHT = 16
DAY_HEIGHT = 26


class ChatDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), QUEUE_ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.highlight())
        text_colour = palette.highlightedText() if selected else palette.text()
        painter.setPen(text_colour.color())

        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        inner = rect.adjusted(12, 8, -12, -8)
        time_text = index.data(queue_model.TimeRole) or ""
        time_width = QFontMetrics(option.font).horizontalAdvance(time_text) + 8
        title = QFontMetrics(title_font).elidedText(
            index.data(Qt.ItemDataRole.DisplayRole),
            Qt.TextElideMode.ElideRight,
            inner.width() - time_width,
        )
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
        painter.setFont(option.font)
        painter.drawText(inner, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, time_text)

        chat: dict[str, Any] = index.data(queue_model.ChatRole)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1))
        second_line = inner.adjusted(0, 20, 0, 0)
        left = second_line.left()
        if chat.get("kind") == "sms":
            badge = QRect(left, second_line.top() + 2, 34, 15)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(SMS_OUT)
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("white"))
            painter.setFont(small)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, tr("SMS"))
            left += 40
        unread = int(index.data(queue_model.UnreadRole) or 0)
        right = second_line.right()
        if unread:
            label = str(unread) if unread < 100 else "99+"
            width = max(18, QFontMetrics(small).horizontalAdvance(label) + 10)
            pill = QRect(right - width, second_line.top() + 1, width, 17)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(APP_OUT)
            painter.drawRoundedRect(pill, 8, 8)
            painter.setPen(QColor("white"))
            painter.setFont(small)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
            right = pill.left() - 6
        if chat.get("opted_out"):
            preview = tr("Opted out")
            painter.setPen(FAILED)
        else:
            preview = index.data(queue_model.PreviewRole) or ""
            painter.setPen(
                text_colour.color() if selected else option.palette.placeholderText().color()
            )
        painter.setFont(small)
        preview_rect = QRect(left, second_line.top(), max(0, right - left), 18)
        elided = QFontMetrics(small).elidedText(
            preview, Qt.TextElideMode.ElideRight, preview_rect.width()
        )
        painter.drawText(
            preview_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
        )
        painter.restore()


class MessageDelegate(QStyledItemDelegate):
    """Bubbles: the clinic's on the right, the client's on the left, internal notes centred.

    Heights are cached per message text and width: layout is the costly part of a paint.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._heights: dict[tuple[str, str, int], int] = {}

    def _bubble_width(self, total: int) -> int:
        return max(120, int(total * 0.7))

    def _text_rect(self, option: QStyleOptionViewItem, text: str) -> QRect:
        width = self._bubble_width(option.rect.width()) - 2 * BUBBLE_PADDING
        return QFontMetrics(option.font).boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        message: dict[str, Any] = index.data(message_model.MessageRole)
        text = index.data(Qt.ItemDataRole.DisplayRole) or " "
        day = index.data(message_model.DayRole) or ""
        key = (message_key(message), text, option.rect.width(), day)
        height = self._heights.get(key)
        if height is None:
            height = self._text_rect(option, text).height() + 2 * BUBBLE_PADDING + STATUS_HEIGHT + 8
            height += DAY_HEIGHT if day else 0
            self._heights[key] = height
        return QSize(option.rect.width(), height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        message: dict[str, Any] = index.data(message_model.MessageRole)
        model = index.model()
        is_sms = bool(getattr(model, "is_sms", False))
        text = index.data(Qt.ItemDataRole.DisplayRole) or " "
        direction = message.get("direction")
        text_rect = self._text_rect(option, text)
        bubble_w = text_rect.width() + 2 * BUBBLE_PADDING
        bubble_h = text_rect.height() + 2 * BUBBLE_PADDING
        row: QRect = option.rect
        if direction == "out":
            left = row.right() - BUBBLE_MARGIN - bubble_w
            fill, ink = (SMS_OUT if is_sms else APP_OUT), QColor("white")
        elif direction == "internal":
            left = row.left() + (row.width() - bubble_w) // 2
            fill, ink = INTERNAL, QColor("#3d3000")
        else:
            left = row.left() + BUBBLE_MARGIN
            fill, ink = INBOUND, QColor("#1b1b1f")
        day = index.data(message_model.DayRole) or ""
        top = row.top() + (DAY_HEIGHT if day else 0)
        bubble = QRect(left, top + 4, bubble_w, bubble_h)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if day:  # a separator where a new day starts
            painter.setPen(option.palette.placeholderText().color())
            painter.drawText(
                QRect(row.left(), row.top(), row.width(), DAY_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                day,
            )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(bubble, 10, 10)
        painter.setPen(ink)
        painter.setFont(option.font)
        painter.drawText(
            bubble.adjusted(BUBBLE_PADDING, BUBBLE_PADDING, -BUBBLE_PADDING, -BUBBLE_PADDING),
            Qt.TextFlag.TextWordWrap,
            text,
        )
        status = index.data(message_model.StatusTextRole) or ""
        stamp = index.data(message_model.TimeRole) or ""
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1.5))
        painter.setFont(small)
        failed = message.get("status") in {"failed", "undelivered"}
        painter.setPen(FAILED if failed else option.palette.placeholderText().color())
        caption = " · ".join(part for part in (stamp, status) if part)
        caption_rect = QRect(bubble.left(), bubble.bottom() + 2, max(bubble_w, 260), STATUS_HEIGHT)
        align = Qt.AlignmentFlag.AlignLeft
        if direction == "out":
            caption_rect.moveRight(bubble.right())
            align = Qt.AlignmentFlag.AlignRight
        painter.drawText(caption_rect, align | Qt.AlignmentFlag.AlignVCenter, caption)
        painter.restore()
