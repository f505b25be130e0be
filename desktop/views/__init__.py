"""Widgets, list models, delegates and dialogs. No I/O here: services do that."""
