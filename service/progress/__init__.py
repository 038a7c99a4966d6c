"""Plan against progress: which stored results report on which stored targets, and how far
each target got. `matching` is pure (no Flask, no database); `reading` loads the rows it needs
from the store; `routes` serves `GET /progress` and the progress summary."""
