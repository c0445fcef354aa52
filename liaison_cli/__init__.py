"""liaison: a case tracker for deputy-liaison offices (代表联络工作台账)."""

__version__ = "0.1.0"
