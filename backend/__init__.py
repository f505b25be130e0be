"""PetsApp backend: the system of record every practice PC talks to."""

__version__ = "0.1.0"
