"""`closure-app impose` (not written yet: registers nothing)."""


def register(app):
    pass
