"""The events app: the event, its categories and their award rules, venues and sessions,
plenary items and report sections, with the landing and event pages.
It knows nothing of entries or judges: submissions and judging build on it.
"""
