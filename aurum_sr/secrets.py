"""Keeping secrets out of output: masking for URLs, redaction of every encoding a secret travels
in, and a string type that will not print itself."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, urlsplit, urlunsplit

MASK = "***"


class Secret:
    """A secret value whose ``repr`` and ``str`` never show it; use :meth:`reveal` to send it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that must send it (the HTTP layer)."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)


def split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """``url`` without its ``user:password@`` part, the user and the password (percent-decoded;
    None when absent).

    A generated password often holds ``/``, ``#``, ``?``, ``@`` or ``:``, which a URL parser
    takes for the end of the host: the userinfo is everything between ``://`` and the *last*
    ``@``, unless what precedes the first ``:`` of it could not be a user name (it holds ``/``,
    ``?`` or ``#``: then the ``@`` belongs to the path or query, and there are no credentials).
    """
    scheme, sep, rest = url.partition("://")
    at = rest.rfind("@")
    if not sep or at < 0:
        return url, None, None
    userinfo, host = rest[:at], rest[at + 1 :]
    user, colon, password = userinfo.partition(":")
    if any(c in user for c in "/?#"):
        return url, None, None
    return (
        f"{scheme}://{host}",
        unquote(user) if user else None,
        (unquote(password) if colon else None),
    )


def mask_url(url: str) -> str:
    """``url`` with any userinfo password (and query secrets) replaced by ``***``."""
    clean, user, password = split_userinfo(url)
    try:
        parts = urlsplit(clean)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if user is not None or password is not None:
        netloc = f"{quote(user or '', safe='')}:{MASK}@{netloc}" if user else f"{MASK}@{netloc}"
    query = _QUERY_SECRET.sub(lambda m: f"{m.group(1)}={MASK}", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


_QUERY_SECRET = re.compile(
    r"(?i)\b((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)[^=&]*)=([^&]*)"
)


def basic_token(user: str, password: str) -> str:
    """The base64 token of an ``Authorization: Basic`` header (what a server may echo back)."""
    return base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def forms(secret: str) -> set[str]:
    """Every spelling ``secret`` travels in: as is, percent-encoded (path, query and form
    style) and base64-encoded; empty for an empty secret."""
    if not secret:
        return set()
    return {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        base64.b64encode(secret.encode()).decode("ascii"),
    }


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each non-empty secret, in each of its :func:`forms`,
    replaced by ``***`` (longest first, so that a secret inside another goes with it)."""
    every: set[str] = set()
    for secret in secrets:
        every |= forms(secret)
    for value in sorted(every, key=len, reverse=True):
        text = text.replace(value, MASK)
    return text
