"""The JSON API for judge tablets and integrations: venue, running order, score sheet and
scorecards.
It follows the pages' rules and writes through judging.scoring services.
"""
