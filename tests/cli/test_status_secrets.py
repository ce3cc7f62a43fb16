"""No password, token or URL credential appears in any output, log or exception text."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from aurum_sr.cli import main
from aurum_sr.testing import RegistryServer, ServerOptions

PASSWORD = "pa55-W0rd-do-not-print"
TOKEN = "tok-e8f1-do-not-print"
URL_PASSWORD = "url-pa55-do-not-print"
SECRETS = (PASSWORD, TOKEN, URL_PASSWORD)


def _assert_clean(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def test_no_secret_leaks_from_any_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    basic = ServerOptions(basic_auth=("svc", PASSWORD))
    bearer = ServerOptions(bearer_token=TOKEN)
    in_url = ServerOptions(basic_auth=("svc", URL_PASSWORD))
    with (
        RegistryServer(options=basic) as s_basic,
        RegistryServer(options=bearer) as s_bearer,
        RegistryServer(options=in_url) as s_url,
    ):
        outputs: list[str] = []
        codes: list[int] = []

        def run(*args: str) -> None:
            codes.append(main(list(args)))
            captured = capsys.readouterr()
            outputs.extend([captured.out, captured.err])

        # Password from the environment: works, and fails with a wrong one.
        monkeypatch.setenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", f"svc:{PASSWORD}")
        run("status", "--registry", s_basic.url)
        run("--debug", "status", "--registry", s_bearer.url)  # 401: wrong kind of credential
        run("snapshot", "export", "--registry", s_basic.url, "--out", str(tmp_path / "a.json"))
        monkeypatch.delenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO")
        # Token from the environment.
        monkeypatch.setenv("SCHEMA_REGISTRY_BEARER_TOKEN", TOKEN)
        run("status", "--registry", s_bearer.url)
        run("--debug", "status", "--registry", s_basic.url)  # 401
        monkeypatch.delenv("SCHEMA_REGISTRY_BEARER_TOKEN")
        # Credentials in the URL, reachable and not.
        authed = s_url.url.replace("http://", f"http://svc:{URL_PASSWORD}@")
        run("status", "--registry", authed)
        run("snapshot", "export", "--registry", authed, "--out", str(tmp_path / "b.json"))
        s_url.fail_next(503, times=100)
        run("--debug", "status", "--registry", authed)
        run("status", "--registry", authed.replace(str(s_url.url.split(":")[-1]), "1"))

    assert codes == [0, 1, 0, 0, 1, 0, 0, 1, 1]
    assert f"registry:       {s_url.url}" in "".join(outputs)  # shown without credentials
    _assert_clean(*outputs, caplog.text, (tmp_path / "a.json").read_text())
    for record in caplog.records:
        _assert_clean(record.getMessage(), str(record.args))
