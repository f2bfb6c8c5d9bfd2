"""Leaf helpers shared by every app: they import Django and third-party libraries only, never an app.

和暦 (`wareki`), yen (`money`), CSV (`csv_export`), sanitised Markdown (`markdown`), and, as the
architecture work moves them here, kana, the ふりがな analyzer, PDF set-up, uploads and history.
The import contracts in `make lint` keep this package free of app imports.
"""
