"""The database key: a random 256-bit key, made once, kept where this computer keeps secrets.

Where the key is looked for, first match wins:

1. a key file named with `--key-file PATH` or the `SCREENING_KEY_FILE` environment
   variable (servers, tests, opening a backup brought from another computer);
2. the operating system's credential store through `keyring` (Windows Credential
   Manager, macOS Keychain, the Secret Service of a Linux desktop), service
   `msc-screening`, name `database-key`;
3. the key file `database.key` in the per-user config folder (platformdirs), mode 0600:
   used where no credential store works (a server, a kiosk without a desktop session,
   CI). This is weaker than a credential store: anyone who can read that user's files
   can read the key, so the disk itself should be encrypted too (README).

A key is made only when a new database is made (`key_for_new_database`), and goes to
the first of those places that is available: opening an existing database never makes
a key, so a credential store that is locked today cannot lead to a second key.

Key file format: 64 hexadecimal digits (the raw key) and a newline.
"""

from __future__ import annotations

import os
import stat
import sys
import threading
from pathlib import Path

from .errors import ErrorCode, StoreError

KEY_FILE_ENV = "SCREENING_KEY_FILE"
KEYRING_SERVICE = "msc-screening"
KEYRING_NAME = "database-key"
KEY_FILE_NAME = "database.key"
KEY_BYTES = 32
_KEY_FILE_MOST_BYTES = 256  # 64 hex digits and a line break, with room for spaces

_chosen: Path | None = None  # --key-file of this process
_lock = threading.Lock()
_cache: dict[str, bytes] = {}  # where -> key, so each thread's Store does not ask again


class KeyUnavailable(StoreError):
    """The key file cannot be read, or is not a key of this app."""


def add_key_file_argument(parser) -> None:
    """`--key-file`, for every command and the app (the same as SCREENING_KEY_FILE)."""
    parser.add_argument("--key-file", metavar="PATH", default=None,
                        help="the database key file to use (default: SCREENING_KEY_FILE, else "
                        "this computer's credential store or key file)")


def use_key_file(path: str | os.PathLike[str] | None) -> None:
    """`--key-file`: use this key file for every database this process opens."""
    global _chosen
    _chosen = Path(path).expanduser().absolute() if path else None


def chosen_key_file() -> Path | None:
    if _chosen is not None:
        return _chosen
    named = os.environ.get(KEY_FILE_ENV, "").strip()
    return Path(named).expanduser().absolute() if named else None


def default_key_file() -> Path:
    import platformdirs

    from .paths import APP_DIR_NAME

    return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)) / KEY_FILE_NAME


def key_location() -> str:
    """Where this process finds (or would keep) the key, in words for messages."""
    chosen = chosen_key_file()
    if chosen is not None:
        return f"the key file {chosen}"
    if _keyring() is not None:
        return f"the credential store ({KEYRING_SERVICE} / {KEYRING_NAME})"
    return f"the key file {default_key_file()}"


def find_key() -> bytes | None:
    """The key of this computer (or of --key-file), or None when there is none."""
    with _lock:
        chosen = chosen_key_file()
        if chosen is not None:
            return _from_file(chosen)
        keyring = _keyring()
        if keyring is not None:
            stored = _cached("keyring", lambda: _keyring_get(keyring))
            if stored is not None:
                return stored
        return _from_file(default_key_file())


def key_for_new_database() -> bytes:
    """The key to encrypt a new database with: the existing one, or a new one kept now."""
    existing = find_key()
    if existing is not None:
        return existing
    import secrets  # here: it loads OpenSSL's hashes, which the kiosk's first paint can do without

    with _lock:
        key = secrets.token_bytes(KEY_BYTES)
        chosen = chosen_key_file()
        keyring = _keyring() if chosen is None else None
        if keyring is not None and _keyring_set(keyring, key):
            _cache["keyring"] = key
            return key
        target = chosen or default_key_file()
        write_key_file(target, key)
        return _from_file(target) or key  # another process may have written first


def write_key_file(target: Path, key: bytes) -> None:
    """Write `key` to a new file `target` (0600; its folder 0700); keep an existing one."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        os.write(fd, (key.hex() + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    _cache.pop(str(target), None)


def parse_key(text: str) -> bytes | None:
    text = text.strip()
    if len(text) != 2 * KEY_BYTES:
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None


def forget_cached_keys() -> None:
    """Tests and `import-key`: read the key again next time."""
    with _lock:
        _cache.clear()


# -- the parts -------------------------------------------------------------------------


def _cached(where: str, read) -> bytes | None:
    if where not in _cache:
        key = read()
        if key is None:
            return None
        _cache[where] = key
    return _cache[where]


def _from_file(path: Path) -> bytes | None:
    def read() -> bytes | None:
        # Only a regular file, and only its first bytes: `--key-file /dev/urandom` read
        # forever and a FIFO blocked the start; a key file is 65 bytes.
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                raise KeyUnavailable(ErrorCode.KEY_FILE_UNREADABLE, path=str(path))
            with open(path, "rb") as file:
                text = file.read(_KEY_FILE_MOST_BYTES).decode("ascii")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise KeyUnavailable(ErrorCode.KEY_FILE_UNREADABLE, path=str(path)) from error
        key = parse_key(text)
        if key is None:
            raise KeyUnavailable(ErrorCode.KEY_FILE_UNREADABLE, path=str(path))
        return key

    return _cached(str(path), read)


def _keyring():
    """The keyring module when a real credential store backs it, else None.

    On Linux the credential stores keyring finds by itself are reached over the D-Bus
    session bus: without one (a kiosk under cage, a server) there is none, and asking
    keyring costs ~190 ms of start-up (it loads every platform's backend to find that out).
    A backend chosen on purpose (PYTHON_KEYRING_BACKEND, keyringrc.cfg, or set in this
    process) is always asked."""
    if sys.platform.startswith("linux") and not (_session_bus() or _keyring_chosen()):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return keyring


def _keyring_chosen() -> bool:
    if "keyring" in sys.modules or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return (config / "python_keyring" / "keyringrc.cfg").exists()


def _session_bus() -> bool:
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return True
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return bool(runtime) and Path(runtime, "bus").exists()


def _keyring_get(keyring) -> bytes | None:
    from keyring.errors import KeyringError

    try:
        stored = keyring.get_password(KEYRING_SERVICE, KEYRING_NAME)
    except KeyringError:
        return None
    return parse_key(stored) if stored else None


def _keyring_set(keyring, key: bytes) -> bool:
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_NAME, key.hex())
    except KeyringError:  # locked or refused: the key file below does the job
        return False
    return True
