"""The use cases: what a publisher, a coordinator or a reader can do, one function each.

Every service takes a :class:`~ecosystem.services.unit_of_work.UnitOfWork` and, where it
matters who asks, a :class:`~ecosystem.model.Principal`; it returns plain dataclasses and
raises :mod:`ecosystem.errors`. Services are the only callers of :mod:`ecosystem.store`,
and they never commit: whoever opened the unit of work (a request, a command) commits
once. Nothing here imports Flask.
"""
