"""The error log: what support needs to find a bug, and nothing about anyone.

An unexpected error (a bug) is written to `errors.log` in the per-user log folder
(platformdirs; on Linux ~/.local/state/msc-screening/log/) as one entry: the time (UTC),
the app and its version, where it happened (desk, kiosk, cli), the exception's type, and
the code it went through as `module path:line in function`. Never the exception's message,
its arguments, local variables or the source lines: any of those can hold what someone
typed (a name, an answer). Paths are shown from the package down, so no home folder (and
no user name) is written either.

The file is rotated at 256 KB, keeping three older files (errors.log.1 .. .3): a clinic
can send the folder to support as it is. Folder 0700, files 0600.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

LOG_NAME = "errors.log"
MAX_BYTES = 256 * 1024
BACKUPS = 3
MAX_CAUSES = 5
_lock = threading.Lock()


def log_folder() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("msc-screening", appauthor=False))


def log_file() -> Path:
    return log_folder() / LOG_NAME


def _place(filename: str) -> str:
    """A frame's file without the folders above the code: `screening_app/store/base.py`,
    `PySide6/__init__.py`, or the bare name."""
    parts = Path(filename).parts
    for anchor in ("screening_app", "ui", "tests"):
        if anchor in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(anchor) - 1:])
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1:])
    return Path(filename).name


def _frames(tb: TracebackType | None) -> list[str]:
    return [f"  at {_place(frame.filename)}:{frame.lineno} in {frame.name}"
            for frame in traceback.extract_tb(tb)]


def _type(kind: type[BaseException]) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def describe(kind: type[BaseException], error: BaseException | None,
             tb: TracebackType | None, where: str) -> str:
    """One log entry: time, app version, where, the type and the frames (causes too)."""
    # Imported only when there is an error: the kiosk installs the log before its first paint.
    from datetime import UTC, datetime

    from screening_app.version import app_name_and_version

    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [f"{stamp} {app_name_and_version()} {where}: {_type(kind)}", *_frames(tb)]
    seen = {id(error)}
    cause = (error.__cause__ or error.__context__) if error is not None else None
    for _ in range(MAX_CAUSES):
        if cause is None or id(cause) in seen:
            break
        seen.add(id(cause))
        lines += [f"  caused by {_type(type(cause))}", *_frames(cause.__traceback__)]
        cause = cause.__cause__ or cause.__context__
    return "\n".join(lines) + "\n"


def _rotate(target: Path) -> None:
    for number in range(BACKUPS, 0, -1):
        older = target.with_name(f"{target.name}.{number}")
        newer = target.with_name(f"{target.name}.{number - 1}") if number > 1 else target
        if newer.exists():
            os.replace(newer, older)


def record(kind: type[BaseException], error: BaseException | None, tb: TracebackType | None,
           where: str, target: Path | None = None) -> Path | None:
    """Append one entry; the log's path, or None when it could not be written."""
    target = target or log_file()
    entry = describe(kind, error, tb, where).encode("utf-8")
    try:
        with _lock:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if target.exists() and target.stat().st_size + len(entry) > MAX_BYTES:
                _rotate(target)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, entry)
            finally:
                os.close(fd)
    except OSError:
        return None
    return target


def install(where: str) -> bool:
    """Log this process's unexpected errors (any thread) instead of printing tracebacks,
    whose text could reach a system journal; unless a test runner or a debugger already
    has its own hook."""
    if sys.excepthook is not sys.__excepthook__:
        return False

    def hook(kind: type[BaseException], error: BaseException | None,
             tb: TracebackType | None) -> None:
        written = record(kind, error, tb, where)
        print(f"{where}: an unexpected problem ({kind.__name__}); for support: {written}",
              file=sys.stderr)

    sys.excepthook = hook
    threading.excepthook = lambda args: hook(args.exc_type, args.exc_value, args.exc_traceback)
    return True
