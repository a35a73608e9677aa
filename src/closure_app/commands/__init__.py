"""One module per command; each has ``register(app)``. ``COMMAND_MODULES`` loads them all; one
command's module can be loaded alone (``closure_app.commands.check``)."""
from importlib import import_module

NAMES = ("validate", "build", "check", "impose", "fonts", "import_", "serve")


def __getattr__(name: str):
    if name == "COMMAND_MODULES":
        return [import_module(f"{__name__}.{module}") for module in NAMES]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
