"""Request and response shapes of the HTTP API, one module per resource.

The portfolio document and the reference records are validated by schemas of the core
(:mod:`ecosystem.portfolio`, :mod:`ecosystem.reference_schemas`), because the command
line, the seed loader and the spreadsheet import read them too.
"""
