"""People on site: check-in at the doors, attendance per session, participation figures."""
