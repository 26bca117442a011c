"""The Textual dashboard. Imported only by `numbtrack dash`, so other commands stay fast."""
