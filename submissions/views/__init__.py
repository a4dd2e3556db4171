"""Views of the submissions app by audience: accounts, portal (enterprises), orga
(organizers), files.
They check access with submissions.rules, read through submissions.selectors and write
through submissions.services.
"""
