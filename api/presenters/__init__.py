"""Presenters: turn what the services return into the plain dicts and tables the API sends.

One module per resource. Presenters read only what they are given (they never query);
labels come from :mod:`ecosystem.labels` and the reference data the service handed over.
"""
