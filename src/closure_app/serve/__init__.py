"""``closure-app serve``: the form as a local web page (Starlette, Jinja2, vendored htmx).

``schema`` reads the page's fields off the Pydantic models, ``formfile`` reads and writes the
YAML (ruamel.yaml round trip), ``report`` takes the report in, ``jobs`` runs the build,
``app`` holds the routes and the safety checks.
"""
