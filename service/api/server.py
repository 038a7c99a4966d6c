"""`plan-targets serve` (to be written by the REST service work)."""


def add_parser(sub):
    pass
