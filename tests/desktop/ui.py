"""Finding controls as a person or a screen reader would: by their visible label."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtWidgets import QApplication, QWidget

W = TypeVar("W", bound=QWidget)


def by_label(kind: type[W], label: str, parent: QWidget | None = None) -> W:
    """The one visible control of ``kind`` whose accessible name is ``label``."""
    roots = [parent] if parent is not None else QApplication.topLevelWidgets()
    # A dialog is both a top-level window and a child of the main window: count it once.
    candidates = {id(w): w for root in roots for w in [root, *root.findChildren(kind)]}
    found = [
        widget
        for widget in candidates.values()
        if isinstance(widget, kind) and widget.accessibleName() == label and widget.isVisible()
    ]
    assert len(found) == 1, f"expected one visible {kind.__name__} labelled {label!r}, got {found}"
    return found[0]


def texts(model: Any) -> list[str]:
    return [model.data(model.index(row)) for row in range(model.rowCount())]


def is_visible(kind: type[QWidget], label: str) -> bool:
    try:
        by_label(kind, label)
    except AssertionError:
        return False
    return True


def sign_in(qtbot: Any, window: Any, email: str, password: str) -> None:
    """Through the sign-in dialog, by its labels ("Email", "Password", "Sign in")."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QPushButton

    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Email"), timeout=10_000)
    qtbot.keyClicks(by_label(QLineEdit, "Email"), email)
    qtbot.keyClicks(by_label(QLineEdit, "Password"), password)
    qtbot.mouseClick(by_label(QPushButton, "Sign in"), Qt.MouseButton.LeftButton)
    # The services load on a worker after the first paint: on a busy machine the dialog can
    # be answered before they are there.
    qtbot.waitUntil(
        lambda: window.app.workspace is not None and window.app.workspace.me is not None,
        timeout=20_000,
    )


def trigger_menu_action(qtbot: Any, tool_button: Any, text: str) -> None:
    """Open a menu button ("More") and pick the action with this visible text."""
    menu = tool_button.menu()
    actions = [action for action in menu.actions() if action.text() == text]
    assert len(actions) == 1, f"no menu entry {text!r}"
    assert actions[0].isEnabled()
    actions[0].trigger()


def open_chat_texted_in(qtbot: Any, demo: Any, window: Any, phone: str, body: str) -> None:
    """An owner texts the clinic; the chat appears in the queue and is clicked open."""
    from PySide6.QtCore import Qt

    from tests.support import text_in

    text_in(demo, phone, body)
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 1, timeout=10_000)
    qtbot.mouseClick(
        window.queue.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.queue.visualRect(window.queue_model.index(0)).center(),
    )
    qtbot.waitUntil(lambda: window.chat_panel.chat is not None, timeout=5_000)


def bubble_colour(panel: Any, row: int) -> Any:
    """The colour a message's bubble is painted in, read from the screen (the list's
    viewport grabbed), just inside its top edge, above the text."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QStyleOptionViewItem

    from desktop.views.delegates import MessageDelegate

    view = panel.messages
    index = panel.model.index(row)
    view.scrollTo(index)
    delegate = view.itemDelegate()
    assert isinstance(delegate, MessageDelegate)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    bubble = delegate.bubble_rect(option, index, index.data() or " ")
    image = view.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    point = bubble.topLeft() + QPoint(bubble.width() // 2, 3)  # in the padding above the text
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def look_in_cache(workspace: Any) -> Any:
    """The workspace's cache file, opened a second time by the test (as one would open the
    file to look): the app's own reads and writes stay on its lane."""
    from desktop.services.cache import Cache

    return Cache(workspace.cache_dir)
