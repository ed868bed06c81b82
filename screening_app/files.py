"""Every file the app writes (PDF, CSV, FHIR JSON, YAML, backups): private, whole or not at all.

    with replacing(target) as temporary:   # any writer: a path to fill
        write_the_file(temporary)
    write_bytes(target, data) / write_text(target, text)   # the common cases

Decisions:

- The data goes to a temporary file in the target's own folder (a rename across file
  systems is a copy), created owner-only (0600, set explicitly, whatever the umask), and
  is fsynced and renamed over the target only when complete; the folder is fsynced so the
  rename survives a power cut. Any failure (an exception, a full disk, a file-size limit)
  removes the temporary file and leaves the previous target untouched.
- The temporary names are the app's own: `.<target name>.<12 hex digits>.msc-partial`.
- A killed process cannot clean up, so each write is noted in a folder of pending writes
  in the per-user data directory (one small file naming the temporary path) and the note
  is removed when the write ends. `remove_leftovers()`, run when the app or a command
  starts, deletes the temporary files of notes whose writer is gone (with SQLite's
  `-journal`/`-wal`/`-shm` beside them, which a backup being written has), and only
  files whose names match the pattern above: a note is never a reason to delete anything
  else. A writer that is still running holds an advisory lock (flock) on its temporary
  file, so a second window or command starting meanwhile leaves it alone. (Windows has no
  flock, but there a file open in another process cannot be deleted, which has the same
  effect.)
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".msc-partial"
_TEMP_NAME = re.compile(r"\..+\.[0-9a-f]{12}" + re.escape(TEMP_SUFFIX), re.DOTALL)
SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")
PENDING_FOLDER = "pending-writes"
STALE_NOTE_SECONDS = 60  # an unreadable note this old was left by a writer killed at birth

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def is_temporary_name(name: str) -> bool:
    """Whether `name` is one of the app's temporary file names."""
    return _TEMP_NAME.fullmatch(name) is not None


def pending_folder() -> Path:
    """Where notes of writes in progress are kept (the per-user data directory)."""
    import platformdirs

    from screening_app.store.paths import APP_DIR_NAME

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)) / PENDING_FOLDER


@contextlib.contextmanager
def replacing(target: str | os.PathLike[str], overwrite: bool = True) -> Iterator[Path]:
    """A new private temporary file beside `target`, renamed over it when the block ends
    without an exception (after fsync); removed otherwise. `overwrite=False`: put it in
    place only if `target` does not exist (FileExistsError otherwise), e.g. a new database."""
    target = Path(target)
    folder = target.parent
    temporary = folder / f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    note: Path | None = None
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, 0o600)  # a umask cannot widen it, but an odd one can narrow it
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # Windows: a file open here cannot be renamed; reopen when done
            os.close(descriptor)
            descriptor = -1
        note = _note(temporary)
        yield temporary
        _fsync_file(temporary, descriptor)
        if overwrite:
            os.replace(temporary, target)
        else:
            _place_new(temporary, target)
    except BaseException:
        _remove_with_side_files(temporary)
        raise
    finally:
        if descriptor >= 0:
            os.close(descriptor)
        if note is not None:
            with contextlib.suppress(OSError):
                note.unlink()
    _fsync_folder(folder)


def write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Replace `target` with `data`, privately and all at once; returns the target."""
    with replacing(target) as temporary, open(temporary, "wb") as out:
        out.write(data)
    return Path(target)


def write_text(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """`write_bytes` of `text` encoded (a text that cannot be encoded writes nothing)."""
    return write_bytes(target, text.encode(encoding))


def remove_leftovers(folder: Path | None = None) -> int:
    """Delete the temporary files of writes whose process was killed; how many were removed.

    Never raises: a start-up must not fail because an old note cannot be read."""
    try:
        notes = sorted((folder or pending_folder()).glob("*.note"))
    except OSError:
        return 0
    removed = 0
    for note in notes:
        try:
            removed += _settle(note)
        except OSError as error:  # another process settled it first, or it is not ours to touch
            log.info("a pending-write note could not be settled (%s)", error.__class__.__name__)
    if removed:
        log.info("removed %d temporary file(s) left by an interrupted write", removed)
    return removed


# -- the parts -------------------------------------------------------------------------


def _note(temporary: Path) -> Path | None:
    """Record the temporary path, so a later start can remove it if this process dies."""
    folder = pending_folder()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        note = folder / f"{secrets.token_hex(8)}.note"
        fd = os.open(note, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, os.fsencode(str(temporary.absolute())))
        finally:
            os.close(fd)
        return note
    except OSError as error:  # no data directory: the write itself still works
        log.warning("cannot note a pending write (%s)", error.__class__.__name__)
        return None


def _settle(note: Path) -> int:
    text = note.read_bytes()
    if not text:
        if time.time() - note.stat().st_mtime > STALE_NOTE_SECONDS:
            note.unlink()
        return 0
    temporary = Path(os.fsdecode(text))
    if not is_temporary_name(temporary.name):
        note.unlink()  # not one of our names: never delete it
        return 0
    if not temporary.exists():
        note.unlink()  # the writer finished (or failed and cleaned up) before its note went
        return 0
    if not _writer_gone(temporary):
        return 0
    _remove_with_side_files(temporary)
    note.unlink()
    return 1


def _writer_gone(temporary: Path) -> bool:
    if fcntl is None:
        return True  # Windows refuses to delete a file another process has open
    fd = os.open(temporary, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def _remove_with_side_files(temporary: Path) -> None:
    for path in (temporary, *(Path(f"{temporary}{side}") for side in SQLITE_SIDE_FILES)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _fsync_file(path: Path, descriptor: int) -> None:
    if descriptor >= 0:
        os.fsync(descriptor)  # the file's data, whichever handle wrote it
        return
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _place_new(temporary: Path, target: Path) -> None:
    if os.name == "nt":
        os.rename(temporary, target)  # refuses an existing target there
        return
    os.link(temporary, target)  # refuses an existing target, unlike rename
    os.unlink(temporary)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder if str(folder) else ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
