"""The desktop's services (no widgets) against the real backend: two practice PCs in one
group, starting offline from the cache, the first sync's progress, the keyring notice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_PASSWORD, EmbeddedDemo
from desktop.services.notices import NoticeBridge
from desktop.services.tasks import TaskRunner
from desktop.services.workspace import Workspace
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


def test_two_practice_pcs_see_each_others_messages_and_hand_offs_within_a_second(
    qtbot: QtBot, demo: EmbeddedDemo, tmp_path: Path, runner: TaskRunner
) -> None:
    alex = _signed_in(qtbot, demo, tmp_path / "pc1", "alex@riverside.example", runner)
    sam = _signed_in(qtbot, demo, tmp_path / "pc2", "sam@riverside.example", runner)
    text_in(demo, "+447400123456", "Is Rex ready?")
    with qtbot.waitSignal(sam.sig_chat, timeout=5_000) as seen:
        pass
    chat = seen.args[0]

    with qtbot.waitSignal(
        sam.sig_message, timeout=1_000, check_params_cb=lambda m: m["body"] == "Yes, come at 4"
    ):
        alex.send_message(chat["id"], "Yes, come at 4")

    sam_id = next(c["id"] for c in alex.me["colleagues"] if c["name"] == "Sam Patel")
    with qtbot.waitSignal(
        alex.sig_chat, timeout=1_000, check_params_cb=lambda c: c["assignee_id"] == sam_id
    ):
        sam.hand_off(chat["id"], sam_id, "Taking this one", lambda: None)
    alex.shutdown()
    sam.shutdown()


def test_starting_with_the_backend_down_shows_the_cache_and_says_offline(
    qtbot: QtBot, demo: EmbeddedDemo, tmp_path: Path, runner: TaskRunner
) -> None:
    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))  # a PC with a keyring
    try:
        first = _signed_in(qtbot, demo, tmp_path / "pc", "alex@riverside.example", runner)
        text_in(demo, "+447400123456", "Cached before the outage")
        qtbot.waitUntil(lambda: bool(first._cache and first._cache.chats()), timeout=5_000)
        first.shutdown()
        demo.stop()

        again = Workspace(demo.backend_url, tmp_path / "pc", runner, NoticeBridge())
        chats: list[list[dict]] = []
        again.sig_chats.connect(chats.append)
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
    workspace.sig_connection.connect(texts.append)
    workspace.sync_batch = 10  # small pages, so a few dozen changes show progress
    with qtbot.waitSignal(
        workspace.sig_connection, timeout=15_000, check_params_cb=lambda text: text == "Online"
    ):
        workspace.open("alex@riverside.example", DEMO_PASSWORD)
    assert any(t.startswith("Syncing… ") and "changes" in t for t in texts), texts
    workspace.shutdown()


def test_without_a_keyring_the_user_is_told_once(
    qtbot: QtBot, demo: EmbeddedDemo, tmp_path: Path, runner: TaskRunner
) -> None:
    notices = NoticeBridge()
    said: list[str] = []
    notices.sig_notice.connect(lambda _level, text: said.append(text))
    workspace = _signed_in(qtbot, demo, tmp_path / "pc", "alex@riverside.example", runner, notices)
    assert [t for t in said if "keyring" in t] == [said[0]]
    workspace.shutdown()
