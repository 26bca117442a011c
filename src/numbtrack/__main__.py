"""The `numbtrack` command, and `python -m numbtrack`.

A check-in typed in full (`numbtrack log numb --feel 2`) goes the quick way, numbtrack.quick,
which never loads Typer, and a plain sync (`numbtrack sync -q`, and the background sync a
change starts) goes numbtrack.quick_sync's way; everything else, and anything the quick ways
are not sure of, goes to the Typer app in numbtrack.cli.
"""

import sys


def main() -> None:
    """Entry point of the `numbtrack` script."""
    from numbtrack import quick

    quick.run(sys.argv[1:])  # returns only when the arguments are not a one-shot check-in
    if "sync" in sys.argv:
        from numbtrack import quick_sync

        quick_sync.run(sys.argv[1:])  # returns only when they are not a plain sync
    from numbtrack.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
