"""Moving check-ins in and out: numbtrack's CSV, JSON and JSON Lines, and Daylio's CSV.

UI-free: the CLI and the dashboard call the same functions.
"""
