"""Typed models of the user's sources: the application form and the manuscript."""
