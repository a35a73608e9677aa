"""`closure-app check` (not written yet: registers nothing)."""


def register(app):
    pass
