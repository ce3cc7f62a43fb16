"""load_config: precedence of defaults < file < environment < flags, and secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from aurum_sr.config import SchemaRegistryConfig, load_config
from aurum_sr.errors import ConfigError
from aurum_sr.model import CompatibilityLevel
from aurum_sr.secrets import Secret

SECRET = "s3cr3t-Pa55"


def test_defaults_when_nothing_is_configured(tmp_path: Path) -> None:
    assert load_config(tmp_path, environ={}) == SchemaRegistryConfig()


def test_each_layer_overrides_the_one_below(tmp_path: Path) -> None:
    (tmp_path / "aurum-sr.toml").write_text(
        'base_url = "http://file:8081"\ntimeout_seconds = 10\nmax_workers = 2\n'
        'default_compatibility_mode = "full"\n',
        encoding="utf-8",
    )
    environ = {"SCHEMA_REGISTRY_URL": "http://env:8081", "SCHEMA_REGISTRY_LOG_LEVEL": "debug"}
    config = load_config(tmp_path, environ=environ, overrides={"max_workers": 4, "username": None})
    assert config.base_url == "http://env:8081"  # env beats file
    assert config.timeout_seconds == 10.0  # file beats default
    assert config.max_workers == 4  # flags beat file
    assert config.log_level == "DEBUG"
    assert config.default_compatibility_mode is CompatibilityLevel.FULL
    assert config.username is None  # a None override is "flag not given"
    flagged = load_config(tmp_path, environ=environ, overrides={"base_url": "http://flag:1"})
    assert flagged.base_url == "http://flag:1"


def test_pyproject_section_is_read_when_there_is_no_aurum_sr_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.aurum-sr]\nfail-on-missing-contract = true\n'
        'contracts_path = "c/contracts.yml"\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path, environ={})
    assert config.fail_on_missing_contract is True
    assert config.contracts_path == "c/contracts.yml"
    (tmp_path / "aurum-sr.toml").write_text("max_retries = 7\n", encoding="utf-8")
    own = load_config(tmp_path, environ={})
    assert (own.max_retries, own.fail_on_missing_contract) == (7, False)


def test_unknown_key_names_the_file_and_suggests(tmp_path: Path) -> None:
    (tmp_path / "aurum-sr.toml").write_text("timeout_secnds = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, environ={})
    assert "aurum-sr.toml" in str(caught.value) and "timeout_secnds" in str(caught.value)
    assert caught.value.hint == "did you mean 'timeout_seconds'?"


def test_unknown_key_in_pyproject_names_the_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.aurum-sr]\nbase_ulr = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject.toml \[tool.aurum-sr\]: unknown"):
        load_config(tmp_path, environ={})


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ssl_verify = 3\n", "ssl_verify must be true or false"),
        ('max_workers = "many"\n', "max_workers must be a whole number"),
        ("max_workers = 2.5\n", "max_workers must be a whole number"),
        ('default_compatibility_mode = "SOMETIMES"\n', "must be one of NONE"),
        ('log_level = "LOUD"\n', "log_level must be one of DEBUG"),
        ("base_url = 5\n", "base_url must be a string"),
        ("timeout_seconds = [\n", "not valid TOML"),
    ],
)
def test_bad_values_are_config_errors(tmp_path: Path, text: str, says: str) -> None:
    (tmp_path / "aurum-sr.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=says):
        load_config(tmp_path, environ={})


def test_user_info_and_explicit_credentials(tmp_path: Path) -> None:
    config = load_config(
        tmp_path, environ={"SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO": f"alice:{SECRET}:x"}
    )
    assert config.username == "alice"
    assert config.password == Secret(f"{SECRET}:x")  # only the first ':' separates
    explicit = load_config(
        tmp_path,
        environ={
            "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO": f"alice:{SECRET}",
            "SCHEMA_REGISTRY_USERNAME": "bob",
            "SCHEMA_REGISTRY_BEARER_TOKEN": SECRET,
        },
    )
    assert explicit.username == "bob"
    assert explicit.bearer_token == Secret(SECRET)


def test_user_info_without_a_colon_is_refused_without_echoing_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, environ={"SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO": SECRET})
    assert SECRET not in str(caught.value)


def test_credentials_move_out_of_the_url(tmp_path: Path) -> None:
    config = load_config(
        tmp_path, environ={"SCHEMA_REGISTRY_URL": f"https://alice:{SECRET}@sr.example:8081/x"}
    )
    assert config.base_url == "https://sr.example:8081/x"
    assert config.username == "alice"
    assert config.password is not None and config.password.reveal() == SECRET


def test_explicit_credentials_in_the_same_layer_win_over_the_url(tmp_path: Path) -> None:
    config = load_config(
        tmp_path,
        environ={},
        overrides={"base_url": "https://u:p@h", "username": "v", "password": SECRET},
    )
    assert (config.base_url, config.username) == ("https://h", "v")
    assert config.password == Secret(SECRET)


def test_secrets_never_show_in_repr_str_or_errors(tmp_path: Path) -> None:
    (tmp_path / "aurum-sr.toml").write_text(
        f'password = "{SECRET}"\nextra_headers = {{ X-Api-Key = "{SECRET}" }}\n', encoding="utf-8"
    )
    config = load_config(
        tmp_path,
        environ={
            "SCHEMA_REGISTRY_URL": f"https://alice:{SECRET}@sr.example",
            "SCHEMA_REGISTRY_BEARER_TOKEN": SECRET,
        },
    )
    assert config.password is not None and config.password.reveal() == SECRET
    for text in (repr(config), str(config), f"{config}", repr(config.password)):
        assert SECRET not in text
    for bad in ({"password": 5}, {"extra_headers": 7}, {"bearer_token": ["x"]}):
        with pytest.raises(ConfigError) as caught:
            load_config(tmp_path, environ={}, overrides={**bad})
        assert SECRET not in str(caught.value)
    with pytest.raises(ConfigError) as invalid_url:
        load_config(tmp_path, environ={"SCHEMA_REGISTRY_URL": f"https://a:{SECRET}@h:port"})
    assert SECRET not in str(invalid_url.value)
    assert "***" in str(invalid_url.value)
