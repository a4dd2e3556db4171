"""Writes of the submissions app, one module per stage: accounts, entries, files, intake."""
