"""No credential, in any encoding, reaches any output, log, exception or written file.

Every kind of credential aurum-sr reads is set -- URL userinfo, the Basic user-info variable,
username/password variables, a bearer token, a secret ``[extra_headers]`` header, a ``~/.netrc``
entry and the plan-signing key -- each holding ``/ # ? % @ :``. Every command that talks to a
registry runs against the in-process registry behind a recording proxy, in every output format,
with ``--debug``, and against a registry that fails (unreachable, or echoing the request's
credentials back in an error body). The proxy's record proves each credential was really sent, so
the absence checks are not vacuous.
"""

from __future__ import annotations

import base64
import json
import logging
import shutil
import socket
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_INTERNAL
from aurum_sr.testing import RegistryServer
from aurum_sr.testing.proxy import FaultProxy, Rule
from tests.e2e.helpers import REPO, seeded_engine

USER = "svc"
SPECIAL = "/#?%@:"
URL_PASSWORD = f"url/pa#s?s%w@r:d-{SPECIAL}"
INFO_PASSWORD = f"inf/o#p?w%d@:-{SPECIAL}"
ENV_PASSWORD = f"env/p#a?s%s@w:d-{SPECIAL}"
TOKEN = f"tok/e#n?x%y@z:-{SPECIAL}"
HEADER_KEY = f"hdr/k#e?y%v@a:l-{SPECIAL}"
NETRC_PASSWORD = "net/r#c?p%w@d:x-/#?%@:"
PLAN_KEY = f"plan/k#e?y%s@i:g-{SPECIAL}"
PASSWORDS = (URL_PASSWORD, INFO_PASSWORD, ENV_PASSWORD, NETRC_PASSWORD)
SECRETS = (*PASSWORDS, TOKEN, HEADER_KEY, PLAN_KEY)
FORMATS = ("human", "json", "markdown", "github", "junit")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _forms() -> list[str]:
    forms: list[str] = []
    for secret in SECRETS:
        forms += [secret, quote(secret, safe=""), quote(secret), _b64(secret)]
    forms += [_b64(f"{USER}:{password}") for password in PASSWORDS]
    return forms


FORMS = _forms()


def _leaks(text: str) -> list[str]:
    return [form for form in FORMS if form in text]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _url_with_password(url: str) -> str:
    return url.replace("http://", f"http://{USER}:{quote(URL_PASSWORD, safe='')}@")


def _set_url(monkeypatch: pytest.MonkeyPatch, home: Path, root: Path) -> Callable[[str], str]:
    return _url_with_password


def _set_user_info(monkeypatch: pytest.MonkeyPatch, home: Path, root: Path) -> Callable[[str], str]:
    monkeypatch.setenv("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", f"{USER}:{INFO_PASSWORD}")
    return str


def _set_user_pass(monkeypatch: pytest.MonkeyPatch, home: Path, root: Path) -> Callable[[str], str]:
    monkeypatch.setenv("SCHEMA_REGISTRY_USERNAME", USER)
    monkeypatch.setenv("SCHEMA_REGISTRY_PASSWORD", ENV_PASSWORD)
    return str


def _set_token(monkeypatch: pytest.MonkeyPatch, home: Path, root: Path) -> Callable[[str], str]:
    monkeypatch.setenv("SCHEMA_REGISTRY_BEARER_TOKEN", TOKEN)
    return str


def _set_header(monkeypatch: pytest.MonkeyPatch, home: Path, root: Path) -> Callable[[str], str]:
    escaped = HEADER_KEY.replace("\\", "\\\\").replace('"', '\\"')
    (root / "aurum-sr.toml").write_text(f'[extra_headers]\nX-Api-Key = "{escaped}"\n')
    return str


def _set_netrc(monkeypatch: pytest.MonkeyPatch, home: Path, root: Path) -> Callable[[str], str]:
    netrc = home / ".netrc"
    netrc.write_text(f'machine 127.0.0.1 login {USER} password "{NETRC_PASSWORD}"\n')
    netrc.chmod(0o600)
    return str


SOURCES: dict[str, tuple[Callable[..., Callable[[str], str]], str]] = {
    "url": (_set_url, f"Basic {_b64(f'{USER}:{URL_PASSWORD}')}"),
    "user_info": (_set_user_info, f"Basic {_b64(f'{USER}:{INFO_PASSWORD}')}"),
    "username_password": (_set_user_pass, f"Basic {_b64(f'{USER}:{ENV_PASSWORD}')}"),
    "bearer_token": (_set_token, f"Bearer {TOKEN}"),
    "extra_header": (_set_header, HEADER_KEY),
    "netrc": (_set_netrc, f"Basic {_b64(f'{USER}:{NETRC_PASSWORD}')}"),
}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in (
        "SCHEMA_REGISTRY_URL",
        "SCHEMA_REGISTRY_USERNAME",
        "SCHEMA_REGISTRY_PASSWORD",
        "SCHEMA_REGISTRY_BEARER_TOKEN",
        "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
        "NETRC",
    ):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AURUM_SR_PLAN_KEY", PLAN_KEY)
    return home


@pytest.mark.slow
@pytest.mark.parametrize("source", list(SOURCES))
def test_no_credential_leaks_from_any_command_in_any_encoding(
    source: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    root, out = tmp_path / "repo", tmp_path / "out"
    out.mkdir()
    for part in ("contracts", "schemas"):
        shutil.copytree(REPO / part, root / part)
    monkeypatch.chdir(root)  # commands without --root read aurum-sr.toml from here
    setup, sent = SOURCES[source]
    with_creds = setup(monkeypatch, tmp_path / "home", root)
    texts: list[str] = []
    codes: list[int] = []

    def run(*args: str) -> None:
        code = main(list(args))
        captured = capsys.readouterr()
        codes.append(code)
        texts.extend([captured.out, captured.err])
        assert code != EXIT_INTERNAL, captured.err

    with (
        RegistryServer(engine=seeded_engine(tmp_path)) as server,
        FaultProxy(server.url) as proxy,
    ):
        url = with_creds(proxy.url)
        at = ["--root", str(root), "--registry", url]
        plan_file = out / "plan.json"
        for fmt in FORMATS:
            run("plan", *at, "--format", fmt)
        run("plan", *at, "--out", str(plan_file))
        for fmt in FORMATS:
            run("show", str(plan_file), "--format", fmt)
        run("--debug", "plan", *at)
        run("drift", *at)
        run("drift", *at, "--out", str(out / "drift.json"))
        run("status", "--registry", url)
        run("status", "--registry", url, "--format", "json")
        run("snapshot", "export", "--registry", url, "--out", str(out / "snapshot.json"))
        run("apply", str(plan_file), *at, "--allow-delete", "--report", str(out / "report.md"))
        run("--debug", "status", "--registry", url)
        # The request's credentials really reached the registry side.
        headers = [" ".join(seen.headers.values()) for seen in proxy.seen]
        assert headers and all(sent in h for h in headers), (source, proxy.seen[:1])

        # A registry that echoes the credentials it received in an error body.
        echo = f"denied; Authorization: {sent}"
        echo += f"; escaped={quote(sent, safe='')}"
        body = json.dumps({"error_code": 40001, "message": echo}).encode()
        proxy.add(Rule("body", status=400, body=body, times=None))
        run("--debug", "status", "--registry", url)
        run("--debug", "plan", *at, "--format", "json")
        run("snapshot", "export", "--registry", url, "--out", str(out / "failed.json"))
        run("apply", *at, "--auto-approve", "--report", str(out / "failed-report.md"))

    unreachable = with_creds(f"http://127.0.0.1:{_closed_port()}")
    run("--debug", "status", "--registry", unreachable)
    run("plan", "--root", str(root), "--registry", unreachable, "--format", "markdown")

    assert codes[-2:] == [1, 1], codes  # the unreachable registry fails
    assert "denied; Authorization:" in "".join(texts)  # the echoed body was shown, redacted
    files = [path for path in out.rglob("*") if path.is_file()]
    assert {p.name for p in files} >= {"plan.json", "snapshot.json", "report.md", "drift.json"}
    texts += [path.read_text(errors="replace") for path in files]
    texts.append(caplog.text)
    texts += [
        f"{record.getMessage()} {record.args!r} {record.exc_text}" for record in caplog.records
    ]
    leaks = {form for text in texts for form in _leaks(text)}
    assert not leaks, (source, leaks)
