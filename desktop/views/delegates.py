"""Painting the queue rows and the message bubbles (no widget per row)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.services.records import Chat, Message
from desktop.views import message_model, queue_model
from desktop.views.theme import colours_for

Index = QModelIndex | QPersistentModelIndex


QUEUE_ROW_HEIGHT = 56
BUBBLE_PADDING = 10
BUBBLE_MARGIN = 12
STATUS_HEIGHT = 16
DAY_HEIGHT = 26
SENDER_HEIGHT = 16
GROUP_GAP = 8  # above a new group of bubbles
BUBBLE_GAP = 2  # between bubbles of one group
GAP_BELOW = 2
ACTIONS_HEIGHT = 34


class ChatDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), QUEUE_ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        colours = colours_for(option.palette)
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
        # Who has the chat sits beside the time, so a long preview never cuts it off.
        assignee = index.data(queue_model.AssigneeRole) or ""
        corner = f"{assignee} · {time_text}" if assignee else time_text
        time_width = QFontMetrics(option.font).horizontalAdvance(corner) + 8
        title = QFontMetrics(title_font).elidedText(
            index.data(Qt.ItemDataRole.DisplayRole),
            Qt.TextElideMode.ElideRight,
            inner.width() - time_width,
        )
        painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
        painter.setFont(option.font)
        painter.drawText(inner, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, corner)

        chat: Chat = index.data(queue_model.ChatRole)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1))
        second_line = inner.adjusted(0, 20, 0, 0)
        left = second_line.left()
        if chat.get("kind") == "sms":
            badge = QRect(left, second_line.top() + 2, 34, 15)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.sms_out)
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("white"))
            painter.setFont(small)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, self.tr("SMS"))
            left += 40
        unread = int(index.data(queue_model.UnreadRole) or 0)
        right = second_line.right()
        if unread:
            label = str(unread) if unread < 100 else "99+"
            width = max(18, QFontMetrics(small).horizontalAdvance(label) + 10)
            pill = QRect(right - width, second_line.top() + 1, width, 17)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colours.app_out)
            painter.drawRoundedRect(pill, 8, 8)
            painter.setPen(QColor("white"))
            painter.setFont(small)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
            right = pill.left() - 6
        if chat.get("opted_out"):
            preview = self.tr("Opted out")
            painter.setPen(colours.failed)
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

    A group of bubbles from one writer is named once, above its first bubble. Under each
    bubble: its time and state; under an unsent one, the row of its index widget
    (``UnsentActions``), which ``updateEditorGeometry`` places there. Heights are cached per
    message, text, width and look: layout is the costly part of a paint.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._heights: dict[tuple[str, str, int, str, str, str], int] = {}

    def _bubble_width(self, total: int) -> int:
        return max(120, int(total * 0.7))

    def _text_rect(self, option: QStyleOptionViewItem, text: str) -> QRect:
        width = self._bubble_width(option.rect.width()) - 2 * BUBBLE_PADDING
        return QFontMetrics(option.font).boundingRect(
            QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        row_key, text, day, sender, unsent = index.data(message_model.LayoutRole)
        key = (row_key, text, option.rect.width(), day, sender, unsent)
        height = self._heights.get(key)
        if height is None:
            height = self._text_rect(option, text).height() + 2 * BUBBLE_PADDING
            height += _top_height(day, sender) + STATUS_HEIGHT + GAP_BELOW
            height += ACTIONS_HEIGHT if unsent else 0
            self._heights[key] = height
        return QSize(option.rect.width(), height)

    def bubble_rect(self, option: QStyleOptionViewItem, index: Index, text: str) -> QRect:
        text_rect = self._text_rect(option, text)
        width = text_rect.width() + 2 * BUBBLE_PADDING
        row: QRect = option.rect
        direction = index.data(message_model.MessageRole).get("direction")
        if direction == "out":
            left = row.right() - BUBBLE_MARGIN - width
        elif direction == "internal":
            left = row.left() + (row.width() - width) // 2
        else:
            left = row.left() + BUBBLE_MARGIN
        top = row.top() + _top_height(
            index.data(message_model.DayRole) or "", index.data(message_model.SenderRole) or ""
        )
        return QRect(left, top, width, text_rect.height() + 2 * BUBBLE_PADDING)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """The unsent message's "Retry"/"Discard" row, under its bubble and caption."""
        bubble = self.bubble_rect(option, index, index.data(Qt.ItemDataRole.DisplayRole) or " ")
        width = max(editor.sizeHint().width(), bubble.width())
        top = bubble.bottom() + 1 + STATUS_HEIGHT + 2
        editor.setGeometry(QRect(bubble.right() + 1 - width, top, width, ACTIONS_HEIGHT - 4))

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """The action row holds no data to refresh."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        message: Message = index.data(message_model.MessageRole)
        model = index.model()
        is_sms = bool(getattr(model, "is_sms", False))
        text = index.data(Qt.ItemDataRole.DisplayRole) or " "
        direction = message.get("direction")
        bubble = self.bubble_rect(option, index, text)
        colours = colours_for(option.palette)
        if direction == "out":
            fill, ink = (colours.sms_out if is_sms else colours.app_out), colours.out_ink
        elif direction == "internal":
            fill, ink = colours.internal, colours.internal_ink
        else:
            fill, ink = colours.inbound, colours.inbound_ink
        row: QRect = option.rect
        day = index.data(message_model.DayRole) or ""
        sender = index.data(message_model.SenderRole) or ""
        muted = option.palette.placeholderText().color()
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1.5))

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if day:  # a separator where a new day starts
            painter.setPen(muted)
            painter.drawText(
                QRect(row.left(), row.top(), row.width(), DAY_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                day,
            )
        if sender:  # the writer, once per group of bubbles
            painter.setPen(muted)
            painter.setFont(small)
            name_rect, align = _line_beside(bubble, direction, bubble.top() - SENDER_HEIGHT, 300)
            painter.drawText(name_rect, align | Qt.AlignmentFlag.AlignBottom, sender)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(bubble, 10, 10)
        if direction == "internal":  # a dashed edge: never mistaken for what the client sees
            painter.setPen(QPen(colours.internal_edge, 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(bubble.adjusted(0, 0, -1, -1), 10, 10)
        painter.setPen(ink)
        painter.setFont(option.font)
        painter.drawText(
            bubble.adjusted(BUBBLE_PADDING, BUBBLE_PADDING, -BUBBLE_PADDING, -BUBBLE_PADDING),
            Qt.TextFlag.TextWordWrap,
            text,
        )
        status = index.data(message_model.StatusTextRole) or ""
        stamp = index.data(message_model.TimeRole) or ""
        painter.setFont(small)
        failed = message.get("status") in {"failed", "undelivered", "held"}
        painter.setPen(colours.failed if failed else muted)
        caption = " · ".join(part for part in (stamp, status) if part)
        caption_rect, align = _line_beside(bubble, direction, bubble.bottom() + 2, 360)
        painter.drawText(caption_rect, align | Qt.AlignmentFlag.AlignVCenter, caption)
        painter.restore()


def _line_beside(
    bubble: QRect, direction: str | None, top: int, min_width: int
) -> tuple[QRect, Qt.AlignmentFlag]:
    """A line of small text (the writer's name, the time and state) above or below a bubble,
    lined up with it: right for the clinic's, left for the client's, centred for notes."""
    rect = QRect(bubble.left(), top, max(bubble.width(), min_width), STATUS_HEIGHT)
    if direction == "out":
        rect.moveRight(bubble.right())
        return rect, Qt.AlignmentFlag.AlignRight
    if direction == "internal":
        rect.moveCenter(QPoint(bubble.center().x(), rect.center().y()))
        return rect, Qt.AlignmentFlag.AlignHCenter
    return rect, Qt.AlignmentFlag.AlignLeft


def _top_height(day: str, sender: str) -> int:
    """Above the bubble: the day separator, the writer's name, and a gap that is smaller
    inside a group than between groups."""
    return (DAY_HEIGHT if day else 0) + (SENDER_HEIGHT + GROUP_GAP if sender else BUBBLE_GAP)
