"""The pytest plugin: loaded with ``-p aurum_sr.testing.plugin``, its fixtures start servers and
stop every one of them after the test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import requests

from aurum_sr.testing import RegistryServer, ServerOptions
from aurum_sr.testing.plugin import ServerFactory, registry_server_factory

__all__ = ["registry_server_factory"]

SUITE = """
import pytest
import requests

from aurum_sr.testing import ServerOptions

URLS = []


def test_servers_run(registry_server, registry_server_factory):
    legacy = registry_server_factory(options=ServerOptions(bulk_listing=False))
    URLS.extend([registry_server.url, legacy.url])
    assert requests.get(registry_server.url + "/schemas", timeout=5).status_code == 200
    assert requests.get(legacy.url + "/schemas", timeout=5).status_code == 404


def test_they_are_stopped_after_the_test():
    assert len(URLS) == 2
    for url in URLS:
        with pytest.raises(requests.ConnectionError):
            requests.get(url + "/subjects", timeout=5)
"""


def test_the_plugin_loads_with_p_and_its_servers_stop(tmp_path: Path) -> None:
    (tmp_path / "test_suite.py").write_text(SUITE, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "aurum_sr.testing.plugin",
            "-p",
            "no:cacheprovider",
            str(tmp_path / "test_suite.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_the_factory_starts_servers_with_the_options_given(
    registry_server_factory: ServerFactory,
) -> None:
    server = registry_server_factory(options=ServerOptions(server_version="5.5.1"))
    assert isinstance(server, RegistryServer)
    meta = requests.get(f"{server.url}/v1/metadata/version", timeout=5).json()
    assert meta["version"] == "5.5.1"
