"""`closure-app validate` (not written yet: registers nothing)."""


def register(app):
    pass
