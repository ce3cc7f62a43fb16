"""Where a run's metrics go: a text file for node_exporter's textfile collector, and a
Prometheus Pushgateway.

The file is the Prometheus text exposition format (0.0.4), the format the textfile collector
reads, written atomically (a temporary file in the same folder, then a rename), so a scrape never
sees half a file. Pushes add to the group (HTTP POST): a failed run's push leaves the last
success time an earlier run pushed in place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest, pushadd_to_gateway
from prometheus_client.exposition import basic_auth_handler, default_handler
from prometheus_client.parser import text_string_to_metric_families

from aurum_sr.errors import AurumError
from aurum_sr.secrets import mask_url, redact, split_userinfo

LAST_SUCCESS = "aurum_sr_last_success_timestamp_seconds"

PUSH_USERNAME = "AURUM_SR_PUSHGATEWAY_USERNAME"
PUSH_PASSWORD = "AURUM_SR_PUSHGATEWAY_PASSWORD"
PUSH_TOKEN = "AURUM_SR_PUSHGATEWAY_TOKEN"
"""Environment variables the Pushgateway credentials come from (basic auth, or a bearer
token); a ``user:password@`` in the URL works too."""

PUSH_TIMEOUT_SECONDS = 10.0


class MetricsError(AurumError):
    """The metrics could not be written or pushed."""


def exposition(registry: CollectorRegistry) -> str:
    """``registry`` in the Prometheus text format."""
    return generate_latest(registry).decode("utf-8")


def write_file(path: str, registry: CollectorRegistry) -> None:
    """Write ``registry`` to ``path`` atomically.

    Raises:
        MetricsError: the file cannot be written (named, with the reason).
    """
    target = Path(path)
    text = exposition(registry)
    try:
        # Not ending in .prom: the textfile collector ignores the file until it is renamed.
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise MetricsError(
            f"cannot write the metrics to {path}: {exc.strerror or exc}",
            hint="give --metrics-file a path in an existing folder you can write to",
        ) from None


def last_success(path: str, labels: Mapping[str, str]) -> float | None:
    """The last success time a previous run wrote to ``path`` for ``labels`` (the command and
    environment), or None: no file, no such sample, or a file that does not parse."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        for family in text_string_to_metric_families(text):
            if family.name != LAST_SUCCESS:
                continue
            for sample in family.samples:
                if all(sample.labels.get(k) == v for k, v in labels.items()):
                    return float(sample.value)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return None


Handler = Callable[..., Callable[[], None]]


def push(
    url: str,
    registry: CollectorRegistry,
    *,
    job: str,
    grouping_key: Mapping[str, str],
    environ: Mapping[str, str] | None = None,
) -> None:
    """Add ``registry``'s metrics to the Pushgateway at ``url`` under ``job`` and
    ``grouping_key`` (POST: metrics of other names in the group stay).

    Raises:
        MetricsError: the push failed; the message names the gateway with credentials masked.
    """
    env = os.environ if environ is None else environ
    clean, user, password = split_userinfo(url)
    user = env.get(PUSH_USERNAME) or user
    password = env.get(PUSH_PASSWORD) or password
    token = env.get(PUSH_TOKEN) or None
    secrets = [s for s in (user, password, token) if s]

    def handler(
        url: str, method: str, timeout: float | None, headers: list[tuple[str, str]], data: bytes
    ) -> Callable[[], None]:
        if token:
            headers = [*headers, ("Authorization", f"Bearer {token}")]
        if user or password:
            return basic_auth_handler(url, method, timeout, headers, data, user, password)
        return default_handler(url, method, timeout, headers, data)

    try:
        pushadd_to_gateway(
            clean,
            job=job,
            registry=registry,
            grouping_key=dict(grouping_key),
            timeout=PUSH_TIMEOUT_SECONDS,
            handler=handler,
        )
    except Exception as exc:  # urllib's errors, and ValueError for a malformed URL
        reason = redact(str(exc) or type(exc).__name__, secrets)
        raise MetricsError(
            f"cannot push metrics to the Pushgateway {mask_url(url)}: {reason}",
            hint=f"check the URL and the gateway's health; credentials come from {PUSH_USERNAME}"
            f"/{PUSH_PASSWORD} or {PUSH_TOKEN}",
        ) from None
