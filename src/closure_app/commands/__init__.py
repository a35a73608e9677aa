"""One module per command; each has ``register(app)``."""
from closure_app.commands import build, check, fonts, impose, import_, serve, validate

COMMAND_MODULES = [validate, build, check, impose, fonts, import_, serve]
