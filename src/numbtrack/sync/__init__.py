"""Sync between devices through a folder another tool carries: see docs/sync.md.

`engine` does the work (init, run, status, compact), `files` reads and writes the folder's
files, `auto` starts a background sync after a change. This package file imports nothing, so
that `numbtrack log` can load `numbtrack.sync.auto` without the rest.
"""
