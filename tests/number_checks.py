"""Checks on numbers in an extraction, shared by the property and hostile-text tests."""
from __future__ import annotations

import math


def is_double(number) -> bool:
    """A number every JSON reader takes as is: a finite double (no inf, no 300-digit integer)."""
    try:
        return math.isfinite(float(number))
    except OverflowError:
        return False
