"""Readers that turn the user's files into models, with file:line:column for every finding."""
