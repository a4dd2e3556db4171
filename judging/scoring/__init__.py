"""The scoring stage: judges' tablets, the chair's matrix, paper sheets and the ledger that
records every scorecard change, up to the venue's lock.
Pure sums in totals.py, checks.py and panel_statistics.py; views by audience in views/.
"""
