"""The demo event cmqa-40: a pure plan of enterprises, entries, venues and judges
(plan.py, names.py, catalogue.py) and the builder that writes it (build.py, scores.py).
Running the builder again changes nothing.
"""
