"""The command line: one module per command group, the same services as the window
(built by starcoach.bootstrap).

main.py parses and dispatches; content.py (content list|show|validate), analyze.py,
sessions.py (practice, history, export, delete, recover, devices), stories.py (questions,
stories, story draft); common.py holds what they share.
"""

from starcoach.cli.main import main

__all__ = ["main"]
