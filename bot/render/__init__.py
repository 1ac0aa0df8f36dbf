"""Renderers: every word and pixel a user sees (plain text, Block Kit, JSON, charts)."""
