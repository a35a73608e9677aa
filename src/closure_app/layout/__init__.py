"""Models -> document blocks: the form and the report as ``Document``s."""
