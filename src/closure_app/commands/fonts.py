"""`closure-app fonts` (not written yet: registers nothing)."""


def register(app):
    pass
