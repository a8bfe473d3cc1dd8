"""What is shown of a stored session or a walkthrough, in words (Qt-free, no I/O but
``export.write_export``).

record.py     stored feedback read back as typed records (the one reader of the history's JSON)
session.py    one session as a format-neutral report (takes, marks, delivery, verdict)
markdown.py   that report as Markdown          html.py   that report as an HTML page
export.py     export_session / write_export: the report in a file, never in the data folder
review.py     what the Review screen shows (filters, a take's words and marks, progress)
text.py       walkthroughs and step feedback for the terminal
feedback_html.py, study.py   HTML fragments the window's text views show
"""
