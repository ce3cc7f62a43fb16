"""Flavor presets: named starting points for the server's behaviour."""

from __future__ import annotations

import pytest
import requests

from aurum_sr.errors import NotSupportedError
from aurum_sr.testing import CONFLUENT, FLAVORS, RegistryServer, ServerOptions, flavor


def test_confluent_is_the_default_server() -> None:
    assert FLAVORS == {"confluent": CONFLUENT}
    assert CONFLUENT.options() == ServerOptions()


def test_options_add_run_settings_without_touching_the_preset() -> None:
    options = CONFLUENT.options(latency=0.01, port=0, basic_auth=("u", "p"))
    assert (options.latency, options.basic_auth) == (0.01, ("u", "p"))
    assert options.server_version == CONFLUENT.behaviour.server_version
    assert CONFLUENT.behaviour.latency == 0.0 and CONFLUENT.behaviour.basic_auth is None


def test_flavors_are_found_by_name_whatever_the_case() -> None:
    assert flavor(" Confluent ") is CONFLUENT


def test_an_unknown_flavor_is_not_supported_yet_and_names_the_known_ones() -> None:
    with pytest.raises(NotSupportedError) as info:
        flavor("karapace")
    assert "karapace" in str(info.value) and "confluent" in str(info.value)


def test_a_confluent_server_says_its_version() -> None:
    with RegistryServer(CONFLUENT.options()) as server:
        meta = requests.get(f"{server.url}/v1/metadata/version", timeout=5).json()
    assert meta["version"] == CONFLUENT.behaviour.server_version
