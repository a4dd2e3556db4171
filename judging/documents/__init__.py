"""The documents stage: certificates (issuing, numbering, rendering, verification) and the
conference report, each rendered to PDF in background jobs the organizer polls.
Issuing is in services.py, the rendering job in certificate_files.py, the report in report*.py.
"""
