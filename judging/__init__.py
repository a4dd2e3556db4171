"""The judging app: everything from the venues' running order to the certificates, one
package per stage (schedule, scoring, awards, documents, api, demo; models in models/).
Permission predicates and the *_or_404 look-ups live in rules.py, choices in enums.py.
"""
