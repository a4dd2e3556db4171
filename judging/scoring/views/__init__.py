"""Views of the scoring stage by audience: the judge's tablet, the chair's matrix, the
organizer's control room and the judges' sign-in.
They check access with judging.rules, read through judging.scoring.selectors and write
through the stage's services (services.py, paper.py, signin.py).
"""
