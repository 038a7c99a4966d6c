"""plan-targets: numeric targets of Chinese education work plans, as structured data."""

__version__ = "0.1.0"
