"""Rate limits on failed sign-ins and failed token use, per client address and per token.

Only failures count: a valid token used at any modest rate is never slowed down, while
guessing tokens (many different ones from one address) or hammering with a revoked one
(the same one from many addresses) is refused with 429 and ``Retry-After`` once a limit
is reached, before the token is even looked up. The counters live in memory by default
(one per process); ``RATELIMIT_STORAGE_URI`` (``redis://host:6379``) shares them between
workers and hosts.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

__all__ = ["TooManyAttempts", "check", "failed", "init_app"]


class TooManyAttempts(TooManyRequests):
    """Too many failed attempts from this address or with this token; wait and retry."""

    description = "Too many failed attempts; wait before trying again."


def init_app(app: Flask) -> None:
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["ecosystem.throttle"] = MovingWindowRateLimiter(storage)


def _keys(kind: str, secret: str | None) -> list[tuple[RateLimitItem, str, str]]:
    """(limit, scope, key) for the address and, when given, the token (as a hash only)."""
    config = current_app.config
    limit = "RATELIMIT_SIGN_IN" if kind == "sign-in" else "RATELIMIT_FAILED_TOKEN"
    keys = [(parse(config[limit]), f"{kind}:ip", request.remote_addr or "-")]
    if secret:
        digest = hashlib.sha256(secret.encode()).hexdigest()[:32]
        keys.append((parse(config["RATELIMIT_FAILED_PER_TOKEN"]), f"{kind}:token", digest))
    return keys


def check(kind: str, secret: str | None = None) -> None:
    """Refuse the attempt (429) if this address or token has failed too often lately."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    limiter: MovingWindowRateLimiter = current_app.extensions["ecosystem.throttle"]
    waits = [
        limiter.get_window_stats(item, scope, key).reset_time - time.time()
        for item, scope, key in _keys(kind, secret)
        if not limiter.test(item, scope, key)
    ]
    if waits:
        raise TooManyAttempts(retry_after=max(1, math.ceil(max(waits))))


def failed(kind: str, secret: str | None = None) -> None:
    """Count a failed attempt against the address (and the token)."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    limiter: MovingWindowRateLimiter = current_app.extensions["ecosystem.throttle"]
    for item, scope, key in _keys(kind, secret):
        limiter.hit(item, scope, key)
