"""The architecture's import rules, checked on the source."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from tests import processes

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_services_import_no_widgets_or_gui() -> None:
    for path in (ROOT / "desktop" / "services").rglob("*.py"):
        bad = {n for n in _imports(path) if n.startswith(("PySide6.QtWidgets", "PySide6.QtGui"))}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_views_do_no_io() -> None:
    io_modules = ("requests", "sqlalchemy", "sqlite3", "urllib.request", "socket", "http.client")
    for path in (ROOT / "desktop" / "views").rglob("*.py"):
        bad = {
            n
            for n in _imports(path)
            if n in io_modules or n.startswith(tuple(f"{m}." for m in io_modules))
        }
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_desktop_package_imports_nothing_and_the_backend_never_loads_qt() -> None:
    assert not _imports(ROOT / "desktop" / "__init__.py")
    probe = (
        "import sys, backend.api.app, backend.cli, backend.sandbox; "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    result = processes.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_desktop_never_imports_the_backend() -> None:
    """The client runs the demo's server as a child process (desktop/services/demo_server.py)
    and carries none of the server's code in its own process."""
    for path in (ROOT / "desktop").rglob("*.py"):
        bad = {n for n in _imports(path) if n == "backend" or n.startswith("backend.")}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_nothing_imports_the_composition_root() -> None:
    """desktop/app.py wires the parts; a part that imported it back (even for its types)
    would be a cycle. Parts get what they use, passed in."""
    for path in (ROOT / "desktop").rglob("*.py"):
        if path.name == "__main__.py" or path == ROOT / "desktop" / "app.py":
            continue
        bad = {n for n in _imports(path) if n == "desktop.app" or n.startswith("desktop.app.")}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def _runtime_imports(path: Path) -> set[str]:
    """What a module imports when it runs (wherever the import is: a deferred import still
    ties the two modules together); not what only the type checker reads."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    checking_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            checking_only.update(id(inner) for child in node.body for inner in ast.walk(child))
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in checking_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_of_ours_imports_itself_back() -> None:
    """No import cycles among our modules (type-checking imports aside)."""
    modules = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for package in ("desktop", "backend", "petsapp_common")
        for path in (ROOT / package).rglob("*.py")
    }
    graph = {
        name: {imported for imported in _runtime_imports(path) if imported in modules} - {name}
        for name, path in modules.items()
    }
    for name in graph:  # a package's __init__ importing its own modules is not a cycle
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    state: dict[str, int] = {}  # 1: being walked, 2: done

    def walk(name: str, trail: list[str]) -> None:
        state[name] = 1
        for imported in sorted(graph[name]):
            if state.get(imported) == 1:
                cycle = [*trail[trail.index(imported) :], imported]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if imported not in state:
                walk(imported, [*trail, imported])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
