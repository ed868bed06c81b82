"""Entry point: a subcommand runs a command-line action; otherwise the desk (or, with
--kiosk, the patient kiosk) opens on the database given by --db or the default one."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if argv[:1] in (["--version"], ["-V"]):
        from screening_app.version import app_name_and_version

        print(app_name_and_version())
        return 0
    from screening_app.files import remove_leftovers

    remove_leftovers()  # temporary files of writes a killed run left behind
    if argv and not argv[0].startswith("-"):
        from screening_app.cli import main as cli_main

        return cli_main(argv)
    from ui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
