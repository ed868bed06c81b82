"""Where the database lives when nobody says otherwise."""

from __future__ import annotations

from pathlib import Path

APP_DIR_NAME = "msc-screening"
DB_FILE_NAME = "screening.db"


def default_db_path() -> Path:
    """The per-user data directory for the app (works with no configuration).

    Linux: ~/.local/share/msc-screening/screening.db; macOS: ~/Library/Application
    Support/msc-screening/screening.db; Windows: %LOCALAPPDATA%\\msc-screening\\...
    """
    import platformdirs  # here: ~6 ms to import, which the kiosk's first paint does without

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False)) / DB_FILE_NAME
