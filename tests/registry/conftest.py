"""Every registry backend behind one ``registry`` fixture, for the contract suite.

``memory``, ``snapshot`` and ``http`` (HttpRegistry against the in-process server) run
everywhere; ``confluent`` (HttpRegistry against a real Confluent Schema Registry in Docker via
testcontainers) is marked ``integration`` and skipped with the reason when Docker is absent.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.registry.memory import InMemoryRegistry
from aurum_sr.registry.protocol import Registry
from aurum_sr.registry.snapshot import SnapshotRegistry
from aurum_sr.testing import RegistryServer
from tests.factories import FAST_RETRY

CONFLUENT_IMAGE_TAG = "7.6.1"
_counter = itertools.count()


@functools.cache
def docker_unavailable_reason() -> str | None:
    """Why Docker cannot be used here, or None when it can."""
    try:
        import docker  # type: ignore[import-untyped]
    except ImportError:
        return "the docker SDK is not installed"
    host = os.environ.get("DOCKER_HOST", "")
    if not host and not os.path.exists("/var/run/docker.sock"):
        return "Docker is not available (no DOCKER_HOST and no /var/run/docker.sock)"
    client = None
    with warnings.catch_warnings():
        # A failed docker client leaves its socket to the garbage collector.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            client = docker.from_env()
            client.ping()
        except Exception as exc:  # noqa: BLE001 - any failure means "no Docker"
            return f"Docker is not available ({type(exc).__name__}: {host or 'docker.sock'})"
        finally:
            if client is not None:
                client.close()
            gc.collect()
    return None


@pytest.fixture(scope="session")
def confluent_url() -> Iterator[str]:
    """A real Confluent Schema Registry (with a Kafka broker) in Docker."""
    reason = docker_unavailable_reason()
    if reason is not None:
        pytest.skip(f"real Confluent Schema Registry needs Docker: {reason}")
    from testcontainers.community.kafka import KafkaContainer
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.network import Network
    from testcontainers.core.wait_strategies import LogMessageWaitStrategy

    started = LogMessageWaitStrategy("Server started, listening for requests")
    with contextlib.ExitStack() as stack:
        with warnings.catch_warnings():
            # Third-party start-up code may use deprecated APIs; that is not under test.
            warnings.simplefilter("ignore", DeprecationWarning)
            network = stack.enter_context(Network())
            kafka = KafkaContainer(f"confluentinc/cp-kafka:{CONFLUENT_IMAGE_TAG}").with_kraft()
            kafka.with_network(network).with_network_aliases("kafka")
            stack.enter_context(kafka)
            registry = stack.enter_context(
                DockerContainer(f"confluentinc/cp-schema-registry:{CONFLUENT_IMAGE_TAG}")
                .with_network(network)
                .with_env("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .with_env("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .with_env("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:9092")
                .with_exposed_ports(8081)
                .waiting_for(started.with_startup_timeout(180))
            )
            host = registry.get_container_host_ip()
            url = f"http://{host}:{registry.get_exposed_port(8081)}"
        yield url


def _http(url: str) -> HttpRegistry:
    return HttpRegistry(
        SchemaRegistryConfig(base_url=url, timeout_seconds=5.0, max_workers=4), policy=FAST_RETRY
    )


@pytest.fixture(
    params=[
        "memory",
        "snapshot",
        "http",
        pytest.param("confluent", marks=pytest.mark.integration),
    ]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield str(request.param)


@pytest.fixture
def registry(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Registry]:
    """A fresh, empty registry of each backend (the shared Confluent one is made fresh by
    giving every test its own subject names, see ``names``)."""
    reg: Registry
    if backend == "memory":
        reg = InMemoryRegistry()
        yield reg
    elif backend == "snapshot":
        reg = SnapshotRegistry(tmp_path / "registry.json", create=True)
        yield reg
        reg.close()
    elif backend == "http":
        with RegistryServer() as running:
            reg = _http(running.url)
            yield reg
            reg.close()
    else:
        url = request.getfixturevalue("confluent_url")
        reg = _http(url)
        yield reg
        reg.close()


@pytest.fixture
def names(backend: str) -> Callable[[str], str]:
    """Subject names unique to this test (a real registry is shared across tests)."""
    prefix = f"c{next(_counter)}." if backend == "confluent" else ""
    return lambda name: prefix + name
