"""`plan-targets ingest` and `plan-targets db` (to be written by the store work)."""


def add_parsers(sub):
    pass
