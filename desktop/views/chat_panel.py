"""The open chat: header, messages, composer."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.records import Chat, Message, message_key
from desktop.views.delegates import MessageDelegate
from desktop.views.follow_bottom import FollowBottom
from desktop.views.formatting import chat_title
from desktop.views.message_model import MessageListModel, MessageRole, UnsentRole
from desktop.views.unsent_actions import UnsentActions
from desktop.views.widgets import button, named, say, wrapped_label
from petsapp_common.sms import MAX_BODY_CHARS, format_phone, segment_info

DRAFT_SAVE_MS = 600


class ChatPanel(QWidget):
    """Signals: sig_send(chat_id, body)."""

    # chat id, body; the composer is already empty: the receiver keeps the text on disk
    # before it returns, or hands it back with ``restore_unsent``.
    sig_send = Signal(int, str)
    sig_draft = Signal(int, str)  # chat id, composer text ("" when sent or emptied)
    sig_need_older = Signal(int, dict)  # chat id, the oldest message shown
    sig_retry = Signal(str)  # client id: send a failed or held message (again)
    sig_discard = Signal(str)  # client id: throw it away
    sig_update_details = Signal(dict)
    sig_hand_off = Signal(dict)
    sig_set_status = Signal(int, str)  # chat id, "closed" or "open"
    sig_notice = Signal(str)  # a brief word for the status line ("Message copied.")

    def __init__(self, model: MessageListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.chat: Chat | None = None

        self.title = QLabel(self.tr("Select a chat, or start one with “New chat”."))
        self.title.setObjectName("chatTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("chatSubtitle")
        self.sms_notice = wrapped_label(
            self.tr(
                "SMS chat: the client receives your messages as text messages, which cannot "
                "carry photos, files or payment requests."
            )
        )
        self.sms_notice.setObjectName("smsNotice")
        self.banner = wrapped_label()
        self.banner.setObjectName("optOutBanner")
        # An SMS chat whose client has since registered with the group.
        self.continue_notice = wrapped_label()
        self.continue_notice.setObjectName("continueNotice")
        self.colleagues: dict[int, str] = {}

        self.more = QToolButton()
        self.more.setText(self.tr("More"))
        self.more.setAccessibleName(self.tr("More"))
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        self.details_action = menu.addAction(self.tr("Update Pet Details"))
        self.hand_off_action = menu.addAction(self.tr("Hand off"))
        menu.addSeparator()
        self.close_action = menu.addAction(self.tr("Close chat"))
        self.reopen_action = menu.addAction(self.tr("Reopen chat"))
        self.close_action.triggered.connect(lambda: self._emit_status("closed"))
        self.reopen_action.triggered.connect(lambda: self._emit_status("open"))
        self.more.setMenu(menu)
        self.details_action.triggered.connect(lambda: self._emit_for_chat(self.sig_update_details))
        self.hand_off_action.triggered.connect(lambda: self._emit_for_chat(self.sig_hand_off))

        self.messages = QListView()
        named(self.messages, self.tr("Messages"))
        self.messages.setModel(model)
        self.messages.setItemDelegate(MessageDelegate(self.messages))
        self.messages.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.messages.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.messages.setWordWrap(True)
        model.rowsInserted.connect(self._rows_arrived)
        # Older history loads when the view is scrolled to its top.
        self._older_pending = False
        self._history_done: set[int] = set()
        self.messages.verticalScrollBar().valueChanged.connect(self._maybe_load_older)
        self.follow = FollowBottom(self.messages)
        # Copy text / Copy number on a message (right-click), Ctrl+C on the one clicked.
        self.messages.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.messages.customContextMenuRequested.connect(self._message_menu)
        self.message_menu: QMenu | None = None
        QShortcut(
            QKeySequence.StandardKey.Copy,
            self.messages,
            self._copy_current,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        model.modelReset.connect(self.follow.to_bottom)  # another chat: its newest messages

        self.editor = QPlainTextEdit()
        named(self.editor, self.tr("Message"))
        self.editor.setTabChangesFocus(True)  # Tab goes on to Send: a text has no tab stops
        self.editor.setPlaceholderText(self.tr("Message"))
        self.editor.setFixedHeight(84)
        self.editor.setTabChangesFocus(True)  # keyboard users must be able to leave it
        self.editor.textChanged.connect(self._update_counter)
        # Drafts are kept per chat: saved shortly after typing stops, and on leaving a chat.
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self.flush_draft)
        self.editor.textChanged.connect(self._draft_timer.start)
        self.send_button = button(self.tr("Send"))
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._send)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self._send)
        self.attach_button = button(self.tr("Attach file"))
        self.payment_button = button(self.tr("Request payment"))
        self.counter = QLabel()
        self.counter.setObjectName("segmentCounter")

        # A message the outbox could not send, or holds because the chat changed since it
        # was written: its bubble says why, and the two ways on sit right under it (never a
        # blocking dialog).
        for signal in (model.rowsInserted, model.rowsRemoved, model.dataChanged, model.modelReset):
            signal.connect(self._show_unsent_actions)

        header = QVBoxLayout()
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.more)
        header.addLayout(title_row)
        header.addWidget(self.subtitle)
        header.addWidget(self.sms_notice)
        header.addWidget(self.banner)
        header.addWidget(self.continue_notice)
        tools = QHBoxLayout()
        tools.addWidget(self.attach_button)
        tools.addWidget(self.payment_button)
        tools.addStretch(1)
        tools.addWidget(self.send_button)
        # The counter's words get a line of their own, under the text they count: whole at
        # any window width.
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.messages, 1)
        layout.addWidget(self.editor)
        layout.addWidget(self.counter)
        layout.addLayout(tools)
        self.show_chat(None)

    def show_chat(self, chat: Chat | None) -> None:
        """Header and composer for ``chat`` (None: nothing open)."""
        previous = self.chat["id"] if self.chat else None
        if chat is None or chat["id"] != previous:
            self.flush_draft()
        self.chat = chat
        is_open = chat is not None
        is_sms = bool(chat and chat.get("kind") == "sms")
        opted_out = bool(chat and chat.get("opted_out"))
        if chat is not None:
            self.title.setText(chat_title(chat))
            phone = chat.get("phone")
            parts = [self.tr("SMS chat") if is_sms else self.tr("PetsApp chat")]
            if phone:
                parts.append(chat.get("phone_display") or format_phone(phone))
            assignee = self.colleagues.get(chat.get("assignee_id") or 0)
            if assignee:
                parts.append(self.tr("Assigned to %s") % assignee)
            if chat.get("status") == "closed":
                parts.append(self.tr("Closed"))
            self.subtitle.setText(" · ".join(parts))
        self.subtitle.setVisible(is_open)
        self.more.setEnabled(is_open)
        self.sms_notice.setVisible(is_sms)
        closed = bool(chat and chat.get("status") == "closed")
        self.close_action.setVisible(is_open and not closed)
        self.reopen_action.setVisible(closed)
        self.editor.setPlaceholderText(
            self.tr("This chat is closed. Sending a message reopens it.")
            if closed
            else self.tr("Message · Enter for a new line, Ctrl+Enter to send")
        )
        registered = bool(is_sms and chat and chat.get("owner_id"))
        self.continue_notice.setVisible(registered)
        if registered and chat is not None:
            self.continue_notice.setText(
                self.tr(
                    "%s now uses the PetsApp app: this chat can continue there, with photos, "
                    "files and payments."
                )
                % (chat.get("owner_name") or self.tr("The client"))
            )
        self.banner.setVisible(opted_out)
        self.banner.setText(
            self.tr(
                "This number has opted out of texts (replied STOP). You cannot text them "
                "until they reply START."
            )
        )
        self.editor.setEnabled(is_open and not opted_out)
        self.send_button.setEnabled(is_open and not opted_out)
        self.editor.setToolTip(self.banner.text() if opted_out else "")
        media_reason = self.tr(
            "SMS chats cannot carry images, files, videos or payment requests (no MMS in the "
            "UK). The client can continue this chat in the PetsApp app."
        )
        for control in (self.attach_button, self.payment_button):
            # SMS never carries them (the reason is said); in PetsApp chats they come with a
            # later release, and a control that cannot be used yet is not shown at all.
            control.setVisible(is_sms)
            control.setEnabled(False)
            control.setToolTip(media_reason)
            control.setAccessibleDescription(media_reason)
        self.counter.setVisible(is_sms)
        if chat is None or chat["id"] != previous:
            self.editor.blockSignals(True)  # clearing for another chat is not an edit
            self.editor.clear()
            self.editor.blockSignals(False)
            self._draft_timer.stop()
        self._update_counter()

    def _emit_status(self, status: str) -> None:
        if self.chat is not None:
            self.sig_set_status.emit(self.chat["id"], status)

    def _emit_for_chat(self, signal: SignalInstance) -> None:
        if self.chat is not None:
            signal.emit(self.chat)

    def _update_counter(self) -> None:
        if not (self.chat and self.chat.get("kind") == "sms"):
            return
        text = self.editor.toPlainText()
        info = segment_info(text)
        over = len(text) - MAX_BODY_CHARS
        if over > 0:
            said = self.tr("%n characters over the 1,600 limit", "", over)
        elif info.segments <= 1:
            said = self.tr("%n characters left in one text", "", info.remaining)
        else:
            said = self.tr("Goes as %1 texts · %n characters left in the last", "", info.remaining)
            said = said.replace("%1", str(info.segments))
        shorter = self.tr(
            "Emoji and some symbols make each text shorter: 70 characters instead of 160."
        )
        if info.encoding == "UCS-2":
            said += " · " + self.tr("shorter texts (emoji or symbols)")
        say(self.counter, said, "error" if over > 0 else "")
        self.counter.setToolTip(
            shorter
            if info.encoding == "UCS-2"
            else self.tr("Long messages go as several texts, which the phone joins up.")
        )
        self.send_button.setEnabled(over <= 0 and not self.chat.get("opted_out"))
        self.send_button.setToolTip(
            self.tr("Shorten the message to send it: a text can be at most 1,600 characters.")
            if over > 0
            else ""
        )

    def _rows_arrived(self, _parent: object, _first: int, last: int) -> None:
        # New at the bottom, not history above: followed when the reader is there.
        self.follow.rows_arrived(last == self.model.rowCount() - 1)

    def _maybe_load_older(self, value: int) -> None:
        bar = self.messages.verticalScrollBar()
        oldest = self.model.oldest()
        chat_id = self.model.chat_id
        if (
            value == bar.minimum()
            and bar.maximum() > bar.minimum()
            and oldest is not None
            and chat_id is not None
            and chat_id not in self._history_done
            and not self._older_pending
        ):
            self._older_pending = True
            self.sig_need_older.emit(chat_id, oldest)

    def show_older(self, chat_id: int, older: list[Message]) -> None:
        """Older messages arrived: put them above, keeping what the user looks at in place."""
        self._older_pending = False
        bar = self.messages.verticalScrollBar()
        from_bottom = bar.maximum() - bar.value()
        if not self.model.prepend(chat_id, older):
            self._history_done.add(chat_id)
            return
        self.messages.doItemsLayout()
        bar.setValue(bar.maximum() - from_bottom)

    def _show_unsent_actions(self, *_args: object) -> None:
        """Give each unsent message its "Retry"/"Send anyway" and "Discard" row, and take
        it away once the message is on its way again or gone."""
        unsent: set[str] = set()
        for row in self.model.unsent_rows():
            index = self.model.index(row)
            key = message_key(index.data(MessageRole))
            state = index.data(UnsentRole)
            unsent.add(key)
            shown = self.messages.indexWidget(index)
            if isinstance(shown, UnsentActions) and (shown.key, shown.state) == (key, state):
                continue
            if shown is not None:
                shown.hide()  # the view deletes it later
            actions = UnsentActions(key, state)
            actions.sig_retry.connect(self.sig_retry)
            actions.sig_discard.connect(self.sig_discard)
            self.messages.setIndexWidget(index, actions)
        for actions in self.messages.viewport().findChildren(UnsentActions):
            shown_row = self.model.row_of(actions.key)
            if actions.key not in unsent and shown_row is not None:
                actions.hide()
                # None takes the widget off the index and deletes it later (Qt allows it;
                # PySide's stubs do not say so). Deleting it here instead crashes the view.
                self.messages.setIndexWidget(self.model.index(shown_row), None)  # type: ignore[arg-type]

    def flush_draft(self) -> None:
        """Hand the composer's text to whoever keeps drafts (now, not after the delay)."""
        self._draft_timer.stop()
        if self.chat is not None:
            self.sig_draft.emit(self.chat["id"], self.editor.toPlainText())

    def set_draft(self, chat_id: int, text: str) -> None:
        """A saved draft arrived; it fills the composer unless the user already typed."""
        if self.chat and self.chat["id"] == chat_id and not self.editor.toPlainText():
            self.editor.blockSignals(True)
            self.editor.setPlainText(text)
            self.editor.moveCursor(QTextCursor.MoveOperation.End)  # carry on where they were
            self.editor.blockSignals(False)
            self._update_counter()

    def _send(self) -> None:
        body = self.editor.toPlainText().strip()
        if not body or self.chat is None or not self.send_button.isEnabled():
            return
        # Emptied first: whoever takes the text has it on disk before the emit returns (the
        # send journal), or hands it back with ``restore_unsent``. Emptying the editor loses
        # nothing by itself: the saved draft changes only on the ordered lane, after it.
        self.editor.clear()
        self.follow.to_bottom()  # one's own message is followed, wherever one was reading
        self.sig_send.emit(self.chat["id"], body)

    def _message_menu(self, pos: QPoint) -> None:
        index = self.messages.indexAt(pos)
        if not index.isValid() or self.chat is None:
            return
        self.messages.setCurrentIndex(index)
        menu = QMenu(self.messages)
        text = str(index.data() or "")
        menu.addAction(self.tr("Copy text"), lambda: self._copy(text, self.tr("Message copied.")))
        number = self.chat.get("phone_display") or self.chat.get("phone")
        if number:
            menu.addAction(
                self.tr("Copy number"), lambda: self._copy(str(number), self.tr("Number copied."))
            )
        self.message_menu = menu
        menu.popup(self.messages.viewport().mapToGlobal(pos))

    def _copy_current(self) -> None:
        index = self.messages.currentIndex()
        if index.isValid():
            self._copy(str(index.data() or ""), self.tr("Message copied."))

    def _copy(self, text: str, said: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.sig_notice.emit(said)

    def restore_unsent(self, chat_id: int, body: str) -> None:
        """The text Send was pressed for could not be taken: back into the composer (and so
        into the chat's draft), unless the user is elsewhere or typed again already."""
        if self.chat and self.chat["id"] == chat_id and not self.editor.toPlainText():
            self.editor.setPlainText(body)
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
