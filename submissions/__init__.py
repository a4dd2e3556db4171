"""The submissions app: enterprises, entries and their members, the portal where a company
fills them in, formal review, and the entries workbook (import and export).
Pure workbook code in excel*.py and validators.py; writes in services/, reads in
selectors.py, permission predicates in rules.py, views by audience in views/.
"""
