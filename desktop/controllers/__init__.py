"""Controllers: the code that works the widgets, between the views (no I/O) and the
services (no widgets). The composition root (``desktop.app``) builds and wires them."""
