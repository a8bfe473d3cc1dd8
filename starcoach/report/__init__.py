"""What is shown of a walkthrough or a stored session, in words (Qt-free, no I/O but export's
``write_export``).

record.py reads stored feedback back into typed objects; review.py works out what the Review
screen shows; export.py renders a session as Markdown or HTML; text.py renders for the
terminal; feedback_html.py and study.py render HTML fragments for the window's text views.
"""
