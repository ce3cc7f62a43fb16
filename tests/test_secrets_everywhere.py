"""No credential, in any encoding, reaches any output, log, exception or written file.

Every kind of credential aurum-sr reads is set -- URL userinfo, the Basic user-info variable,
username/password variables, a bearer token, a secret ``[extra_headers]`` header, a ``~/.netrc``
entry and the plan-signing key -- each holding ``/ # ? % @ :``. Every command that talks to a
registry runs against the in-process registry behind a recording proxy, in every output format,
with ``--debug``, and against a registry that fails (unreachable, or echoing the request's
credentials back in an error body). The proxy's record proves each credential was really sent, so
the absence checks are not vacuous.

The later channels run once each against one shared registry: JSON log lines on stderr and in
``--log-file`` at DEBUG, ``plan --diff``/``--compact``/``--markdown-budget``, ``--env all`` with
each environment's credentials from the variables its ``[environments.NAME]`` table names,
``import``, ``github comment`` (with a GitHub token and a 401 echoing it), and registries answering
401 and 403 with bodies that echo the Authorization header.
"""

from __future__ import annotations

import base64
import json
import logging
import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

from aurum_sr.cli import main
from aurum_sr.errors import EXIT_ERROR, EXIT_INTERNAL
from aurum_sr.testing import RegistryServer
from aurum_sr.testing.proxy import FaultProxy, Rule
from tests.e2e.helpers import REPO, seeded_engine
from tests.github.fake_github import FakeGitHub

USER = "svc"
SPECIAL = "/#?%@:"
URL_PASSWORD = f"url/pa#s?s%w@r:d-{SPECIAL}"
INFO_PASSWORD = f"inf/o#p?w%d@:-{SPECIAL}"
ENV_PASSWORD = f"env/p#a?s%s@w:d-{SPECIAL}"
TOKEN = f"tok/e#n?x%y@z:-{SPECIAL}"
HEADER_KEY = f"hdr/k#e?y%v@a:l-{SPECIAL}"
NETRC_PASSWORD = "net/r#c?p%w@d:x-/#?%@:"
PLAN_KEY = f"plan/k#e?y%s@i:g-{SPECIAL}"
DEV_PASSWORD = f"dev/p#w?d%e@n:v-{SPECIAL}"
PROD_TOKEN = f"prod/t#o?k%e@n:v-{SPECIAL}"
GITHUB_TOKEN = f"ghs/t#o?k%e@n:g-{SPECIAL}"
PUSH_PASSWORD = f"push/p#w?d%g@w:y-{SPECIAL}"
PUSH_URL_PASSWORD = f"pushurl/p#w?d%@:-{SPECIAL}"
PUSH_TOKEN = f"push/t#o?k%e@n:p-{SPECIAL}"
PASSWORDS = (
    URL_PASSWORD,
    INFO_PASSWORD,
    ENV_PASSWORD,
    NETRC_PASSWORD,
    DEV_PASSWORD,
    PUSH_PASSWORD,
    PUSH_URL_PASSWORD,
)
SECRETS = (*PASSWORDS, TOKEN, HEADER_KEY, PLAN_KEY, PROD_TOKEN, GITHUB_TOKEN, PUSH_TOKEN)
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
        "SCHEMA_REGISTRY_LOG_LEVEL",
        "DEV_SR_AUTH",
        "PROD_SR_TOKEN",
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


# -- The channels added since: JSON logs and the log file, several environments, plan views,
# import, the pull-request comment, and registries refusing the credentials. One registry serves
# every channel (none of them writes to it); each channel runs behind its own recording proxy.

URL_SENT = f"Basic {_b64(f'{USER}:{URL_PASSWORD}')}"


@dataclass
class Channel:
    """What a channel runs in: a repository, an output folder, the shared registry."""

    root: Path
    out: Path
    upstream: str
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    stack: ExitStack
    texts: list[str] = field(default_factory=list)
    sent: list[tuple[FaultProxy, str]] = field(default_factory=list)
    """Each proxy and what every request through it must have carried."""

    def proxy(self, sent: str = URL_SENT) -> FaultProxy:
        proxy = self.stack.enter_context(FaultProxy(self.upstream))
        self.sent.append((proxy, sent))
        return proxy

    def run(self, *args: str) -> int:
        code = main(list(args))
        captured = self.capsys.readouterr()
        self.texts.extend([captured.out, captured.err])
        assert code != EXIT_INTERNAL, captured.err
        return code

    def at(self, proxy: FaultProxy) -> list[str]:
        return ["--root", str(self.root), "--registry", _url_with_password(proxy.url)]

    def json_log(self, name: str) -> list[str]:
        return ["--debug", "--log-format", "json", "--log-file", str(self.out / name)]


def _echo(sent: str, status: int) -> Rule:
    """Every request answered ``status`` with a body that echoes the credentials received."""
    message = f"denied; Authorization: {sent}; escaped={quote(sent, safe='')}"
    body = json.dumps({"error_code": status, "message": message}).encode()
    return Rule("body", status=status, body=body, times=None)


def _json_logs(ch: Channel) -> None:
    _set_header(ch.monkeypatch, ch.root, ch.root)
    proxy = ch.proxy(URL_SENT)
    at, url, log = ch.at(proxy), _url_with_password(proxy.url), ch.json_log("debug.log")
    ch.run(*log, "plan", *at, "--out", str(ch.out / "plan.json"))
    ch.run(*log, "drift", *at)
    ch.run(*log, "status", "--registry", url)
    ch.run(*log, "snapshot", "export", "--registry", url, "--out", str(ch.out / "snap.json"))
    ch.run("--debug", "--log-format", "json", "plan", *at)  # JSON lines on stderr
    unreachable = _url_with_password(f"http://127.0.0.1:{_closed_port()}")
    assert ch.run(*log, "status", "--registry", unreachable) == EXIT_ERROR
    lines = [json.loads(line) for line in (ch.out / "debug.log").read_text().splitlines()]
    assert {"plan", "drift", "status", "snapshot"} <= {line["command"] for line in lines}
    assert "DEBUG" in {line["level"] for line in lines}


def _plan_views(ch: Channel) -> None:
    _set_header(ch.monkeypatch, ch.root, ch.root)
    at = ch.at(ch.proxy(URL_SENT))
    plan = str(ch.out / "plan.json")
    ch.run("plan", *at, "--diff")
    ch.run("plan", *at, "--compact")
    ch.run("plan", *at, "--format", "markdown", "--diff", "--markdown-budget", "1500")
    ch.run("plan", *at, "--out", plan)
    ch.run("show", plan, "--format", "markdown", "--diff", "--compact")
    ch.run("show", plan, "--format", "github", "--markdown-budget", "800")


def _environments(ch: Channel) -> None:
    ch.monkeypatch.setenv("DEV_SR_AUTH", f"{USER}:{DEV_PASSWORD}")
    ch.monkeypatch.setenv("PROD_SR_TOKEN", PROD_TOKEN)
    dev = ch.proxy(f"Basic {_b64(f'{USER}:{DEV_PASSWORD}')}")
    prod = ch.proxy(f"Bearer {PROD_TOKEN}")

    def configure(prod_url: str) -> None:
        (ch.root / "aurum-sr.toml").write_text(
            f'promotion = ["dev", "prod"]\n\n[environments.dev]\nbase_url = "{dev.url}"\n'
            'basic_auth_user_info_env = "DEV_SR_AUTH"\n\n'
            f'[environments.prod]\nbase_url = "{prod_url}"\nbearer_token_env = "PROD_SR_TOKEN"\n'
        )

    configure(prod.url)
    env = ["--root", str(ch.root), "--env", "all"]
    for fmt in ("human", "json", "markdown"):
        ch.run("plan", *env, "--format", fmt)
    ch.run(*ch.json_log("envs.log"), "plan", *env, "--out", str(ch.out / "plan.json"))
    ch.run("show", str(ch.out / "plan.json"), "--format", "markdown")
    ch.run("drift", *env, "--out", str(ch.out / "drift.json"))
    for server in (dev, prod):
        assert server.seen, "every environment's registry was read"
    # One environment refusing (echoing its credentials), the other unreachable.
    dev.add(_echo(ch.sent[0][1], 401))
    configure(f"http://127.0.0.1:{_closed_port()}")
    assert ch.run(*ch.json_log("envs.log"), "plan", *env, "--format", "json") == EXIT_ERROR
    assert ch.run("--debug", "drift", *env) == EXIT_ERROR


def _import(ch: Channel) -> None:
    proxy = ch.proxy(URL_SENT)
    url = _url_with_password(proxy.url)
    for name in ("imported", "dry"):
        (ch.out / name).mkdir()
    ch.run("import", "--registry", url, "--root", str(ch.out / "imported"))
    ch.run("import", "--registry", url, "--root", str(ch.out / "dry"), "--dry-run")
    assert (ch.out / "imported" / "contracts" / "contracts.yml").is_file()


def _github_comment(ch: Channel) -> None:
    plan = ch.out / "plan.json"
    ch.run("plan", *ch.at(ch.proxy(URL_SENT)), "--out", str(plan))
    github = ch.stack.enter_context(FakeGitHub(token=GITHUB_TOKEN))
    event = ch.root / "event.json"
    number = github.open_pull_request()
    event.write_text(json.dumps({"pull_request": {"number": number}}))
    for name, value in {
        "GITHUB_TOKEN": GITHUB_TOKEN,
        "GITHUB_REPOSITORY": github.repository,
        "GITHUB_API_URL": github.url,
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_STEP_SUMMARY": str(ch.out / "summary.md"),
        "GITHUB_OUTPUT": str(ch.out / "output.txt"),
    }.items():
        ch.monkeypatch.setenv(name, value)
    ch.run(*ch.json_log("github.log"), "github", "comment", str(plan))
    ch.run("github", "comment", str(plan), "--compact", "--markdown-budget", "900")
    ch.run("github", "report", str(plan))
    github.fail_next(401, message=f"Bad credentials: Authorization: token {GITHUB_TOKEN}")
    assert ch.run("--debug", "github", "comment", str(plan)) == EXIT_ERROR
    assert github.requests and all(
        GITHUB_TOKEN in " ".join(r.headers.values()) for r in github.requests
    )


def _refused(ch: Channel) -> None:
    for status in (401, 403):
        proxy = ch.proxy(URL_SENT)
        proxy.add(_echo(URL_SENT, status))
        at, url, log = ch.at(proxy), _url_with_password(proxy.url), ch.json_log("refused.log")
        assert ch.run(*log, "status", "--registry", url) == EXIT_ERROR
        assert ch.run(*log, "plan", *at, "--format", "json") == EXIT_ERROR
        assert ch.run("--debug", "drift", *at) == EXIT_ERROR
        (ch.out / "imp").mkdir(exist_ok=True)
        assert ch.run("import", "--registry", url, "--root", str(ch.out / "imp")) == EXIT_ERROR
    assert "denied; Authorization:" in "".join(ch.texts)  # the echoed body was shown, redacted


def _metrics(ch: Channel) -> None:
    _set_header(ch.monkeypatch, ch.root, ch.root)
    at = ch.at(ch.proxy(URL_SENT))
    ch.monkeypatch.setenv("AURUM_SR_PUSHGATEWAY_USERNAME", USER)
    ch.monkeypatch.setenv("AURUM_SR_PUSHGATEWAY_PASSWORD", PUSH_PASSWORD)
    # A Pushgateway that refuses, echoing the credentials it received.
    pushed = f"Basic {_b64(f'{USER}:{PUSH_PASSWORD}')}"
    gateway = ch.proxy(pushed)
    gateway.add(_echo(pushed, 401))
    metrics = ["--metrics-file", str(ch.out / "aurum.prom")]
    ch.run(*metrics, "--pushgateway", gateway.url, "plan", *at)
    ch.run(*metrics, *ch.json_log("metrics.log"), "--pushgateway", gateway.url, "drift", *at)
    assert gateway.seen, "the Pushgateway was pushed to"
    ch.monkeypatch.delenv("AURUM_SR_PUSHGATEWAY_PASSWORD")
    ch.monkeypatch.delenv("AURUM_SR_PUSHGATEWAY_USERNAME")
    ch.monkeypatch.setenv("AURUM_SR_PUSHGATEWAY_TOKEN", PUSH_TOKEN)
    token_gateway = ch.proxy(f"Bearer {PUSH_TOKEN}")
    token_gateway.add(_echo(f"Bearer {PUSH_TOKEN}", 403))
    ch.run("--debug", *metrics, "--pushgateway", token_gateway.url, "plan", *at)
    ch.monkeypatch.delenv("AURUM_SR_PUSHGATEWAY_TOKEN")
    # Credentials in the Pushgateway's URL, which cannot be reached.
    closed = f"http://{USER}:{quote(PUSH_URL_PASSWORD, safe='')}@127.0.0.1:{_closed_port()}"
    ch.run("--debug", *metrics, "--pushgateway", closed, "plan", *at)
    assert "aurum_sr_" in (ch.out / "aurum.prom").read_text()


CHANNELS: dict[str, Callable[[Channel], None]] = {
    "metrics_file_and_pushgateway": _metrics,
    "json_log_file_and_stderr_at_debug": _json_logs,
    "plan_diff_compact_markdown_budget": _plan_views,
    "env_all_per_environment_credentials": _environments,
    "import": _import,
    "github_comment": _github_comment,
    "registry_refuses_and_echoes_401_403": _refused,
}


@pytest.fixture(scope="module", name="upstream")
def _upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with RegistryServer(engine=seeded_engine(tmp_path_factory.mktemp("seed"))) as server:
        yield server.url


@pytest.mark.slow
@pytest.mark.parametrize("channel", list(CHANNELS))
def test_no_credential_leaks_from_newer_channels(
    channel: str,
    upstream: str,
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
    monkeypatch.chdir(root)
    with ExitStack() as stack:
        ch = Channel(root, out, upstream, monkeypatch, capsys, stack)
        CHANNELS[channel](ch)
        for proxy, sent in ch.sent:
            headers = [" ".join(seen.headers.values()) for seen in proxy.seen]
            assert all(sent in h for h in headers), (channel, proxy.seen[:1])
        assert any(proxy.seen for proxy, _ in ch.sent), channel
    texts = [*ch.texts, caplog.text]
    texts += [p.read_text(errors="replace") for p in out.rglob("*") if p.is_file()]
    texts += [f"{r.getMessage()} {r.args!r} {r.exc_text}" for r in caplog.records]
    leaks = {form for text in texts for form in _leaks(text)}
    assert not leaks, (channel, leaks)
