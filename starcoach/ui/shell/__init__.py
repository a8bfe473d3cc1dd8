"""The frame every screen lives in: application start and stop, the main window and the
Page base, the services each page is given (context), the one background task runner, the
speech-model loader and the theme."""
