"""Desktop services: non-UI logic used by the views."""
