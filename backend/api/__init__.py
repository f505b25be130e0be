"""The HTTP API (``/api/v1``) and the provider's webhooks."""
