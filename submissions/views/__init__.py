"""Views of the submissions app by audience: accounts, portal (enterprises), orga (organizers)."""
