"""Sending: what the user does to a chat goes through the outbox, never lost, never twice.

Send is on disk at the click (the send journal), then written to the outbox on the cache
lane; hand-offs, detail edits and closing or reopening go straight to the lane. Each write
is shown at once (pending, through the lane's change set) and sent by the outbox's worker
when the backend can be reached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from desktop.services.cache import Cache
from desktop.services.cache_errors import (
    CacheDamagedError,
    DiskFullError,
    not_sent_for_full_disk,
)
from desktop.services.cache_lane import CacheLane
from desktop.services.changes import ChangeSet, Refusal
from desktop.services.notices import NoticeBridge
from desktop.services.outbox import Outbox
from desktop.services.send_journal import JournalEntry, SendJournal
from desktop.services.tr_marks import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


class Sending:
    def __init__(
        self,
        lane: CacheLane,
        journal: SendJournal,
        outbox: Callable[[], Outbox | None],
        notices: NoticeBridge,
        give_back: Callable[[int, str], None] = lambda _chat_id, _body: None,
    ) -> None:
        """``outbox()`` is the signed-in session's outbox (None when signed out);
        ``give_back(chat_id, body)`` puts a text that could not be kept back in its
        composer."""
        self._lane = lane
        self._journal = journal
        self._outbox = outbox
        self._notices = notices
        self._give_back = give_back

    @property
    def can_send(self) -> bool:
        """Signed in this session, so Send has an outbox to write to."""
        return self._outbox() is not None

    def send_message(self, chat_id: int, body: str) -> None:
        """On the GUI thread, at the click: the message is on disk (the send journal) when
        this returns, so the composer may forget it; the outbox item (and the draft's
        removal) follow on the lane. Raises ``OSError`` when the journal cannot be
        written: the caller keeps the text."""
        outbox = self._require_outbox()
        entry = self._journal.write(chat_id, body)

        def failed(error: BaseException) -> None:
            if isinstance(error, DiskFullError):
                # Nothing of it was written: it goes back where it was typed, and nowhere
                # else, so pressing Send again cannot send it twice.
                self._journal.remove(entry)
                self._give_back(entry.chat_id, entry.body)
                self._notices.error(not_sent_for_full_disk())
                return
            if isinstance(error, CacheDamagedError):
                return  # still in the journal: the rebuilt cache's opening writes it
            # It stays in the journal, so the next start writes it to the outbox. Only the
            # kind of error is logged: a database error quotes the statement's values.
            log.error("a sent message could not be written to the outbox: %s", type(error).__name__)
            self._notices.error(
                QCoreApplication.translate(
                    "Workspace",
                    "A message could not be saved for sending. It is kept on this computer "
                    "and sent when PetsApp Desktop starts again.",
                )
            )

        self._lane.run(lambda cache: self._write_sent(cache, outbox, entry), None, failed)

    def _write_sent(self, cache: Cache, captured: Outbox, entry: JournalEntry) -> ChangeSet:
        # The outbox of now: a sign-in since the click started another one, whose worker
        # is the one to wake.
        outbox = self._outbox() or captured
        changes = outbox.write_message(cache, entry.chat_id, entry.body, entry.client_id)
        self._journal.remove(entry)  # the outbox has it: a kill from here on loses nothing
        return changes

    def replay_journal(self, cache: Cache, outbox: Outbox) -> ChangeSet:
        """On the lane, when the cache opens: messages Send was pressed for in an earlier
        run whose outbox item was perhaps never written (the app was killed, or the write
        failed), into ``outbox`` now, in the order pressed, each once."""
        changes = ChangeSet()
        entries = self._journal.entries()
        for entry in entries:
            written = outbox.write_journalled(cache, entry)
            if written is not None:
                changes += written
            self._journal.remove(entry)
        if entries:
            log.info("send journal: %d left over, %d written", len(entries), len(changes.messages))
        return changes

    def tell(self, changes: ChangeSet) -> None:
        """What the outbox could not do, told to the user with what they wrote."""
        for error in changes.not_sent:
            self._notices.error(
                QCoreApplication.translate("Workspace", "A message was not sent: %s") % error
            )
        for refusal in changes.refused:
            self._notices.error(refusal_text(refusal))

    def update_details(
        self, chat_id: int, owner_name: str, pet_name: str, on_written: Callable[[], None]
    ) -> None:
        outbox = self._require_outbox()
        self._lane.run(
            lambda cache: outbox.write_details(cache, chat_id, owner_name, pet_name),
            lambda _: on_written(),
        )

    def hand_off(
        self, chat_id: int, to_staff_id: int, note: str, on_written: Callable[[], None]
    ) -> None:
        outbox = self._require_outbox()
        self._lane.run(
            lambda cache: outbox.write_handoff(cache, chat_id, to_staff_id, note),
            lambda _: on_written(),
        )

    def set_status(self, chat_id: int, status: str) -> None:
        """Close (``"closed"``) or reopen (``"open"``): through the outbox, so it also
        works offline and happens in order with what was written before it."""
        outbox = self._require_outbox()
        self._lane.run(lambda cache: outbox.write_status(cache, chat_id, status))

    def retry(self, client_id: str) -> None:
        """A failed item: try again. A held one: send it anyway."""
        outbox = self._require_outbox()
        self._lane.run(lambda cache: outbox.retry(cache, client_id))

    def discard(self, client_id: str) -> None:
        outbox = self._require_outbox()
        self._lane.run(lambda cache: outbox.discard(cache, client_id))

    def _require_outbox(self) -> Outbox:
        outbox = self._outbox()
        if outbox is None:
            raise RuntimeError("not signed in")
        return outbox


# What the user is told, marked for Qt Linguist (in the workspace's context, where they
# were first written) and translated when shown.
NOT_SENT = QT_TRANSLATE_NOOP("Workspace", "A message was not sent: %s")
HANDOFF_REFUSED = QT_TRANSLATE_NOOP("Workspace", "The hand-off was not done: %1 Your note: “%2”")
CLOSE_REFUSED = QT_TRANSLATE_NOOP("Workspace", "The chat was not closed: %s")
REOPEN_REFUSED = QT_TRANSLATE_NOOP("Workspace", "The chat was not reopened: %s")
DETAILS_REFUSED = QT_TRANSLATE_NOOP("Workspace", "The new names were not saved: %s")


def _said(text: str) -> str:
    return QCoreApplication.translate("Workspace", text)


def refusal_text(refused: Refusal) -> str:
    """What did not happen and why; a hand-off's note is repeated, so it is not lost."""
    if refused.kind == "handoff":
        return (
            _said(HANDOFF_REFUSED)
            .replace("%1", refused.error)
            .replace("%2", str(refused.payload.get("note", "")))
        )
    if refused.kind == "status" and refused.payload.get("status") == "closed":
        return _said(CLOSE_REFUSED) % refused.error
    if refused.kind == "status":
        return _said(REOPEN_REFUSED) % refused.error
    return _said(DETAILS_REFUSED) % refused.error
