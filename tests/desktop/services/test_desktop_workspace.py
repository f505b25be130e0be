"""The desktop's services (no widgets) against the real backend: two practice PCs in one
group, starting offline from the cache, the first sync's progress, the keyring notice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from backend.demo import DEMO_PASSWORD, EmbeddedDemo
from backend.models import ClinicGroup, Staff
from desktop.services.changes import ChangeSet
from desktop.services.notices import NoticeBridge
from desktop.services.tasks import TaskRunner
from desktop.services.workspace import Workspace
from tests.desktop.ui import look_in_cache
from tests.file_keyring import FileKeyring
from tests.support import BackendClient, text_in


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def _signed_in(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    folder: Path,
    email: str,
    tasks: TaskRunner,
    notices: NoticeBridge | None = None,
) -> Workspace:
    workspace = Workspace(demo.backend_url, folder, tasks, notices or NoticeBridge())
    with qtbot.waitSignal(
        workspace.sig_connection, timeout=15_000, check_params_cb=lambda text: text == "Online"
    ):
        workspace.open(email, DEMO_PASSWORD)
    return workspace


def test_two_practice_pcs_see_each_others_messages_and_hand_offs_live(
    qtbot: QtBot, demo: EmbeddedDemo, tmp_path: Path, runner: TaskRunner
) -> None:
    alex = _signed_in(qtbot, demo, tmp_path / "pc1", "alex@riverside.example", runner)
    sam = _signed_in(qtbot, demo, tmp_path / "pc2", "sam@riverside.example", runner)
    text_in(demo, "+447400123456", "Is Rex ready?")
    with qtbot.waitSignal(sam.sig_changed, timeout=5_000, check_params_cb=_has_chat) as seen:
        pass
    chat = seen.args[0].chats[0]

    # Live: through the long poll, not a later catch-up (the poll waits 25 s). How fast is
    # measured by bench/backend.py (wake-ups; docs/PERFORMANCE.md: "within a second"), not
    # timed here, where a busy machine may take more than a second.
    with qtbot.waitSignal(
        sam.sig_changed,
        timeout=8_000,
        check_params_cb=lambda c: any(m["body"] == "Yes, come at 4" for m in c.messages),
    ):
        alex.sending.send_message(chat["id"], "Yes, come at 4")

    assert alex.me is not None
    sam_id = next(c["id"] for c in alex.me["colleagues"] if c["name"] == "Sam Patel")
    with qtbot.waitSignal(
        alex.sig_changed,
        timeout=8_000,
        check_params_cb=lambda c: any(chat["assignee_id"] == sam_id for chat in c.chats),
    ):
        sam.sending.hand_off(chat["id"], sam_id, "Taking this one", lambda: None)
    alex.shutdown()
    sam.shutdown()


def _has_chat(changes: ChangeSet) -> bool:
    return bool(changes.chats)


def test_a_sent_message_reaches_the_views_once_pending_and_once_confirmed(
    qtbot: QtBot, demo: EmbeddedDemo, tmp_path: Path, runner: TaskRunner
) -> None:
    """The outbox stores the backend's answer and the sync feed brings the same message
    back: the views hear of it once as pending and once as confirmed, not again."""
    alex = _signed_in(qtbot, demo, tmp_path / "pc1", "alex@riverside.example", runner)
    text_in(demo, "+447400123456", "Is Rex ready?")
    with qtbot.waitSignal(alex.sig_changed, timeout=5_000, check_params_cb=_has_chat) as seen:
        pass
    chat_id = seen.args[0].chats[0]["id"]
    heard: list[ChangeSet] = []
    alex.sig_changed.connect(heard.append)
    alex.sending.send_message(chat_id, "Yes, come at 4")

    def copies() -> list[dict]:
        return [m for c in heard for m in c.messages if m["body"] == "Yes, come at 4"]

    qtbot.waitUntil(lambda: any(not m["pending"] for m in copies()), timeout=8_000)
    # The feed's copy of the same message (it comes within the long poll's answer) and its
    # delivery status from the provider: the first is no news, the second is.
    qtbot.waitUntil(lambda: copies()[-1]["status"] == "delivered", timeout=8_000)
    qtbot.wait(300)
    statuses = [(m["pending"], m["status"]) for m in copies()]
    assert statuses[0] == (True, "pending")
    confirmed = [status for pending, status in statuses if not pending]
    assert confirmed and len(confirmed) == len(set(confirmed)), statuses  # each version once
    alex.shutdown()


def test_starting_with_the_backend_down_shows_the_cache_and_says_offline(
    qtbot: QtBot, demo: EmbeddedDemo, tmp_path: Path, runner: TaskRunner
) -> None:
    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))  # a PC with a keyring
    try:
        first = _signed_in(qtbot, demo, tmp_path / "pc", "alex@riverside.example", runner)
        text_in(demo, "+447400123456", "Cached before the outage")
        qtbot.waitUntil(lambda: bool(first.is_open and look_in_cache(first).chats()), timeout=5_000)
        first.shutdown()
        demo.stop()

        again = Workspace(demo.backend_url, tmp_path / "pc", runner, NoticeBridge())
        chats: list[tuple[dict, ...]] = []
        again.sig_changed.connect(lambda c: chats.append(c.chats) if c.replace_chats else None)
        with qtbot.waitSignal(
            again.sig_connection,
            timeout=3_000,
            check_params_cb=lambda text: text.startswith("Offline"),
        ):
            again.open()
        assert chats and chats[0][0]["phone"] == "+447400123456"
        assert again.me is not None  # signed in from the keyring, no dialog
        again.shutdown()
    finally:
        keyring.set_keyring(keyring.backends.fail.Keyring())


def test_the_first_sync_of_a_big_group_reports_progress(
    qtbot: QtBot, demo: EmbeddedDemo, alex: BackendClient, tmp_path: Path, runner: TaskRunner
) -> None:
    chat = alex.start_sms_chat("07400 123456").json()["chat"]
    for n in range(30):
        alex.send(chat["id"], f"history {n}", f"h-{n}")
    workspace = Workspace(demo.backend_url, tmp_path / "pc", runner, NoticeBridge())
    texts: list[str] = []
    progress: list[tuple[int, int]] = []
    workspace.sig_connection.connect(texts.append)
    workspace.sig_first_sync.connect(lambda done, total: progress.append((done, total)))
    workspace.sync_batch = 10  # small pages, so a few dozen changes show progress
    with qtbot.waitSignal(
        workspace.sig_connection, timeout=15_000, check_params_cb=lambda text: text == "Online"
    ):
        workspace.open("alex@riverside.example", DEMO_PASSWORD)
    assert any(re.fullmatch(r"Syncing… \d+ of \d+", t) for t in texts), texts
    # The first sync counts up to the group's newest change, then says it is over.
    assert progress[-1] == (-1, -1)
    steps = progress[:-1]
    assert len(steps) >= 3
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)
    assert all(0 < done < total for done, total in steps)
    assert steps[-1][1] == latest_change_of(demo, "alex@riverside.example")
    workspace.shutdown()

    again = Workspace(demo.backend_url, tmp_path / "pc", runner, NoticeBridge())
    again_progress: list[tuple[int, int]] = []
    again.sig_first_sync.connect(lambda done, total: again_progress.append((done, total)))
    with qtbot.waitSignal(
        again.sig_connection, timeout=15_000, check_params_cb=lambda text: text == "Online"
    ):
        again.open("alex@riverside.example", DEMO_PASSWORD)
    assert again_progress == []  # the cache is filled: not a first sync
    again.shutdown()


def latest_change_of(demo: EmbeddedDemo, email: str) -> int:
    """The newest change of the group ``email`` works in."""
    assert demo.database is not None
    with demo.database.read() as session:
        latest = session.scalar(
            select(ClinicGroup.last_seq)
            .join(Staff, Staff.group_id == ClinicGroup.id)
            .where(Staff.email == email)
        )
    return int(latest or 0)


def test_without_a_keyring_the_user_is_told_once(
    qtbot: QtBot, demo: EmbeddedDemo, tmp_path: Path, runner: TaskRunner
) -> None:
    notices = NoticeBridge()
    said: list[str] = []
    notices.sig_notice.connect(lambda _level, text: said.append(text))
    workspace = _signed_in(qtbot, demo, tmp_path / "pc", "alex@riverside.example", runner, notices)
    assert [t for t in said if "keyring" in t] == [said[0]]
    workspace.shutdown()


def test_a_sign_in_while_the_cache_is_still_opening_signs_in_once(
    qtbot: QtBot, demo: EmbeddedDemo, alex: BackendClient, tmp_path: Path, runner: TaskRunner
) -> None:
    """A receptionist quicker than a slow PC: the sign-in dialog answered before the cache
    has opened waits for it, instead of opening a second cache and starting a second sync
    (which hid the first sync's progress)."""
    chat = alex.start_sms_chat("07400 123456").json()["chat"]
    for n in range(30):
        alex.send(chat["id"], f"history {n}", f"q-{n}")
    workspace = Workspace(demo.backend_url, tmp_path / "pc", runner, NoticeBridge())
    workspace.sync_batch = 10
    signed_in: list[dict] = []
    progress: list[tuple[int, int]] = []
    workspace.sig_signed_in.connect(signed_in.append)
    workspace.sig_first_sync.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(
        workspace.sig_connection, timeout=15_000, check_params_cb=lambda text: text == "Online"
    ):
        workspace.open()
        workspace.sign_in("alex@riverside.example", DEMO_PASSWORD)  # before it has opened
    qtbot.wait(500)
    assert len(signed_in) == 1
    assert progress and progress[-1] == (-1, -1) and len(progress) >= 3, progress
    workspace.shutdown()
