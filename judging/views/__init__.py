"""Views of the judging app, by audience."""
