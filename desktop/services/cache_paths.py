"""Where the local cache lives in a data folder (no imports: read by the fast start path)."""

CACHE_FILE = "cache.db"
