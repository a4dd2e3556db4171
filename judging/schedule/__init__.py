"""The schedule stage: venues, panels, the running-order draw, time slots and recusal,
from the balancing of entries across venues to the organizer's and the public schedule.
Pure planning in plan.py and recusal_rules.py; writes in services.py, reads in selectors.py.
"""
