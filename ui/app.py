"""Start the Qt application: the desk by default, the patient kiosk with --kiosk."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    from screening_app.version import app_command

    parser = argparse.ArgumentParser(prog=app_command().removeprefix("python "),
                                     description="MSC-in-MS screening: desk or kiosk")
    parser.add_argument("--kiosk", action="store_true", help="open the full-screen patient kiosk")
    parser.add_argument("--db", default=None, metavar="PATH_OR_URL",
                        help="database file, or a clinic server's postgresql://USER@HOST/DBNAME "
                        "(default: $SCREENING_DB, else the per-user data folder)")
    parser.add_argument("--definition", type=Path, default=None, metavar="FILE",
                        help="the questionnaire to fill in (default: the shipped one), e.g. one that "
                        "import-definition converted")
    from screening_app.store.keys import add_key_file_argument

    add_key_file_argument(parser)
    return parser.parse_args(argv)


def chosen_definition(args: argparse.Namespace) -> tuple[object | None, tuple[str, ...]]:
    """The --definition's questionnaire (None: the shipped one) and the languages the kiosk
    offers for it: its own that the kiosk speaks. A definition that does not load, or
    whose languages the kiosk does not speak, is refused in words (UsageError)."""
    from screening_app.commands import UsageError
    from screening_app.i18n import LANGUAGES

    if args.definition is None:
        return None, tuple(LANGUAGES)
    from screening_app.engine.loader import DefinitionError, load_questionnaire

    try:
        q = load_questionnaire(args.definition)
    except DefinitionError as error:
        raise UsageError(str(error)) from None
    spoken = tuple(lang for lang in q.languages if lang in LANGUAGES)
    if not spoken:
        raise UsageError(f"{args.definition}: its languages ({', '.join(q.languages)}) are none of "
                         f"those the app speaks ({', '.join(LANGUAGES)})")
    return q, spoken


def run_app(argv: list[str]) -> int:
    args = parse_args(argv)
    from screening_app.commands import UsageError

    try:
        definition, languages = chosen_definition(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    from ui.system_libraries import check_before_qt

    if code := check_before_qt(os.environ):  # before Qt says only "could not load xcb"
        return code
    if not args.kiosk:  # the kiosk: once its welcome page is painted (KioskWindow.warm_up)
        from screening_app.files import remove_leftovers

        remove_leftovers()  # temporary files of writes a killed run left behind
    from PySide6.QtWidgets import QApplication

    from screening_app.store import StoreError
    from screening_app.store.keys import use_key_file
    from screening_app.store.target import ServerAddress, database_target

    use_key_file(args.key_file)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        target = database_target(args.db)
        if isinstance(target, ServerAddress):
            return run_on_server(app, target, args, definition, languages)
        if args.kiosk:
            return run_kiosk_on_file(app, target, args, definition, languages)
        store = open_database(target, args.kiosk)
    except StoreError as error:
        return cannot_open(error)
    if store is None:
        return 0  # the desk was asked to make a database and the person chose Quit
    with store:
        window = station_window(store, args, definition, languages)
        window.show()
        return app.exec()


def cannot_open(error) -> int:
    """A store that cannot be used (a StoreError): said on the command line and in a
    message box; the exit code (2: refused as given, 1: the database's state)."""
    from screening_app.store.errors import REFUSED_AS_INPUT
    from ui.dialogs import show_fatal

    print(f"error: {error.message}", file=sys.stderr)
    show_fatal(error.message)
    return 2 if error.code in REFUSED_AS_INPUT else 1


def run_kiosk_on_file(app, target: Path, args: argparse.Namespace, definition, languages) -> int:
    """The kiosk on a database file: its welcome page is painted first, and the store is
    opened (and checked: a kiosk needs staff) just after, so the person sees the page
    sooner; Start and "Continue with a code" wait for it (KioskWindow.open_store). A store
    that cannot be used closes the window and is said as `cannot_open` says it."""
    failed: list = []

    def store_failed(error) -> None:  # the window has closed: said once the loop has ended
        failed.append(error)
        app.exit(1)

    window = station_window(None, args, definition, languages,
                            open_store=lambda: open_database(target, kiosk=True))
    window.store_failed.connect(store_failed)
    window.show()
    try:
        code = app.exec()
    finally:
        if window.store is not None:
            window.store.close()
    return cannot_open(failed[0]) if failed else code


def station_window(store, args: argparse.Namespace, definition, languages, **kiosk_options):
    """The kiosk's or the desk's window on an open store (the kiosk's: or on the store
    its `open_store` option opens), ready to show."""
    if args.kiosk:
        from screening_app.errorlog import install
        from ui.kiosk.window import start_kiosk

        install("kiosk")  # logged; a patient never sees a traceback (the desk has a dialog)
        options = {} if definition is None else {"questionnaire_loader": lambda: definition,
                                                 "languages": languages}
        return start_kiosk(store, **options, **kiosk_options)
    from ui.desk.window import start_desk

    return start_desk(store, questionnaire=definition)


def run_on_server(app, address, args: argparse.Namespace, definition, languages) -> int:
    """A clinic server: ui/connect.py reaches it first (says why not, on the screen and on
    the command line, tries again by itself, asks the desk for a password the password
    file lacks), then the station's window opens on it."""
    from screening_app.i18n import Translator
    from ui.connect import connect_to_server

    opened: list = []

    def connected(store) -> None:
        opened.append(store)
        window = station_window(store, args, definition, languages)
        opened.append(window)
        window.show()
        connecting.finish()

    connecting = connect_to_server(address, args.kiosk,
                                   lambda target: open_database(target, args.kiosk),
                                   Translator(languages[0] if args.kiosk else _desk_language()))
    connecting.connected.connect(connected)
    try:
        return app.exec()
    finally:
        if opened:
            opened[0].close()


def _desk_language() -> str:
    from PySide6.QtCore import QSettings

    from ui.desk.window import APPLICATION, DESK_LANGUAGES, ORGANISATION

    chosen = str(QSettings(ORGANISATION, APPLICATION).value("desk/lang", DESK_LANGUAGES[0]))
    return chosen if chosen in DESK_LANGUAGES else DESK_LANGUAGES[0]


def open_database(target, kiosk: bool, confirm_new=None):
    """The Store the window works on, or None when the person declined to make one.

    `target`: a file's Path or a server's address (store/target.py). The kiosk never
    makes a database and needs an enabled coordinator or administrator (someone who can
    close it); the desk makes a file only after its first-run screen named the path and
    the person chose to (`confirm_new(path)`, the dialog by default). A server's database
    is prepared by init-server, never here.
    """
    from screening_app.store import Store, StoreError
    from screening_app.store.errors import ErrorCode
    from screening_app.store.target import describe

    if kiosk:
        store = Store.open(target, existing=True)
        if not store.has_staff():
            store.close()
            raise StoreError(ErrorCode.NO_STAFF, path=describe(target))
        return store
    if not isinstance(target, Path):
        return Store.open(target)
    if not target.exists() and not (confirm_new or _confirm_new_database)(target):
        return None
    # The desk checks the file (quick_check) in a thread while the sign-in page shows,
    # and writes nothing before that has passed (ui/desk/integrity.py).
    store = Store.open(target, check=False)
    store.hold_writes()
    return store


def _confirm_new_database(target: Path) -> bool:
    from PySide6.QtWidgets import QDialog

    from screening_app.i18n import Translator
    from ui.desk.new_database import NewDatabaseDialog

    dialog = NewDatabaseDialog(target, Translator(_desk_language()))
    return dialog.exec() == QDialog.DialogCode.Accepted
