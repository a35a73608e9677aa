"""`closure-app build` (not written yet: registers nothing)."""


def register(app):
    pass
