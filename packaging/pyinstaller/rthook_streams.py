"""PyInstaller runtime hook: give the app a stdout and stderr when it has none.

A windowed build (``console=False``: the Windows release) starts with ``sys.stdout`` and
``sys.stderr`` set to None. Code that assumes they exist then fails; uvicorn, which serves
the embedded demo, calls ``sys.stdout.isatty()`` when it sets up logging, so the demo
would not start. The same happens wherever the streams are closed (on Linux,
``petsapp-desktop >&- 2>&-``).

Missing streams go to ``console.log`` in the user's log folder instead (``PETSAPP_LOG_DIR``
if set), beside the app's own rotating log ``petsapp-desktop.log`` (desktop/logs.py, which
then does not copy its lines to stderr): the ``--smoke-test`` result, and anything printed,
can be read there:

    Windows  %LOCALAPPDATA%\\PetsApp\\PetsApp Desktop\\Logs\\console.log
    Linux    ~/.local/state/PetsApp Desktop/log/console.log
    macOS    ~/Library/Logs/PetsApp Desktop/console.log

When the log folder cannot be written, they go to the null device. Streams that exist are
left alone, so a console build and a terminal behave exactly as before.
"""

import os
import sys

_LOG_NAME = "console.log"  # desktop/logs.py: CONSOLE_FILE
_LOG_LIMIT = 5 * 1024 * 1024  # bytes; the previous log is kept once as .log.1


def _open_log():
    try:
        import platformdirs

        folder = os.environ.get("PETSAPP_LOG_DIR") or platformdirs.user_log_dir(
            "PetsApp Desktop", "PetsApp"
        )
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, _LOG_NAME)
        if os.path.exists(path) and os.path.getsize(path) > _LOG_LIMIT:
            os.replace(path, path + ".1")
        return open(path, "a", encoding="utf-8", errors="backslashreplace", buffering=1)
    except Exception:
        return open(os.devnull, "w", encoding="utf-8")


if sys.stdout is None or sys.stderr is None:
    _stream = _open_log()
    if sys.stdout is None:
        sys.stdout = _stream
    if sys.stderr is None:
        sys.stderr = _stream
