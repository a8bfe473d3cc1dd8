"""Review: every past session with its audio. page.py assembles the views (list, detail,
transcript, compare, chart); controller.py loads from the store, plays audio, exports, deletes."""
