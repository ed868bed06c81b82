"""Entry point: a subcommand runs a command-line action; otherwise the desk (or, with
--kiosk, the patient kiosk) opens on the database given by --db or the default one."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if argv[:1] in (["--version"], ["-V"]):
        from screening_app.version import app_name_and_version

        print(app_name_and_version())
        return 0
    if argv and not argv[0].startswith("-"):
        from screening_app.cli import main as cli_main
        from screening_app.files import remove_leftovers

        remove_leftovers()  # temporary files of writes a killed run left behind (the
        # desk does this as it starts, the kiosk just after its welcome page is painted)
        try:
            return cli_main(argv)
        except Exception as error:  # a bug: logged without its text, told in one line
            from screening_app.errorlog import record

            where = record(type(error), error, error.__traceback__, "cli")
            print(f"error: an unexpected problem ({type(error).__name__}). Nothing more is "
                  f"shown here, as it could hold patient data; for support: {where}",
                  file=sys.stderr)
            return 1
    from ui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
