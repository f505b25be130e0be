"""Domain rules of the backend, independent of HTTP."""
