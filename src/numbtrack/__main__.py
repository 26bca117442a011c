"""Allow `python -m numbtrack`, the same as the `numbtrack` command."""

from numbtrack.cli import main

main()
