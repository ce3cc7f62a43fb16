"""Fault injection: the HTTP client against a hostile network, through a proxy on real sockets.

Every test puts a :class:`~aurum_sr.testing.proxy.FaultProxy` between the client and the
in-process registry and makes it answer as a broken or hostile network would. Whatever happens,
the client ends in a typed :class:`RegistryError` naming the registry (credentials masked) and
the endpoint — never an internal error, a hang, a leaked secret or unbounded memory. Tests are
named after the hardening item they pin (``itemNN``).
"""

from __future__ import annotations

import base64
import json
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from aurum_sr.cli import main
from aurum_sr.config import SchemaRegistryConfig
from aurum_sr.errors import EXIT_ERROR, EXIT_INCOMPATIBLE, EXIT_OK, RegistryError
from aurum_sr.model import (
    CompatibilityLevel,
    LiveState,
    Mode,
    RegisteredSchema,
    Schema,
    SchemaType,
    SubjectState,
)
from aurum_sr.registry.http import HttpRegistry
from aurum_sr.registry.http.transport import RegistryAnswerError
from aurum_sr.registry.retry import RetryPolicy, parse_retry_after
from aurum_sr.testing import RegistryServer, ServerOptions
from aurum_sr.testing.proxy import FaultProxy, Rule
from tests.desired.repos import write_repo
from tests.registry.helpers import V1, V2

FAST = RetryPolicy(max_attempts=3, max_seconds=3.0, base_seconds=0.01, cap_seconds=0.02)
PASSWORD = "ab/cD+eF#3?c%r@3:t"
KEY = "k3y/With+Odd=Chars?#"


def client(url: str, **kwargs: object) -> HttpRegistry:
    config = SchemaRegistryConfig(base_url=url, timeout_seconds=2.0, **kwargs)  # type: ignore[arg-type]
    return HttpRegistry(config, policy=FAST)


@pytest.fixture
def server() -> Iterator[RegistryServer]:
    with RegistryServer() as running:
        yield running


@pytest.fixture
def proxy(server: RegistryServer) -> Iterator[FaultProxy]:
    with FaultProxy(server.url) as running:
        yield running


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


# -- item 3: malformed 200 answers -------------------------------------------------------------


def test_item03_html_200_is_a_registry_error(proxy: FaultProxy) -> None:
    proxy.add(Rule("html", path="/config"))
    with pytest.raises(RegistryAnswerError) as caught:
        client(proxy.url).get_compatibility()
    message = caught.value.message
    assert proxy.url in message and "GET /config" in message and "HTML page" in message
    assert caught.value.exit_code == EXIT_ERROR


def test_item03_html_200_exits_1_from_the_cli(
    proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    proxy.add(Rule("html", times=None))
    assert main(["plan", "--registry", proxy.url]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "HTML page" in err and "Traceback" not in err


def test_item03_truncated_body_is_a_registry_error(
    server: RegistryServer, proxy: FaultProxy
) -> None:
    client(server.url).register("a-value", V1)
    proxy.add(Rule("truncate", path="/subjects/a-value/versions/1"))
    with pytest.raises(RegistryAnswerError, match=r"GET /subjects/a-value/versions/1 .*not JSON"):
        client(proxy.url).get_version("a-value", 1)


WRONG_SHAPES = [
    ("/config", [{"compatibilityLevel": "BACKWARD"}], "must be an object, not a list"),
    ("/config", {"compatibilityLevel": "SUPER_STRICT"}, "'SUPER_STRICT' is none of"),
    ("/mode", {"mode": "READ_MOSTLY"}, "'READ_MOSTLY' is none of"),
    ("/mode", {"mode": 7}, "the mode 7 is none of"),
    ("/subjects", {"subjects": []}, "must be a list, not an object"),
    ("/subjects", [1, 2], "must be a string, not an integer"),
]


@pytest.mark.parametrize(("where", "body", "said"), WRONG_SHAPES)
def test_item03_wrong_shape_or_unknown_value_is_a_registry_error(
    proxy: FaultProxy, where: str, body: object, said: str
) -> None:
    proxy.add(Rule("body", path=where, body=_json(body)))
    reg = client(proxy.url)
    read: dict[str, Callable[[], object]] = {
        "/config": reg.get_compatibility,
        "/mode": reg.get_mode,
        "/subjects": reg.list_subjects,
    }
    with pytest.raises(RegistryAnswerError) as caught:
        read[where]()
    assert said in caught.value.message and f"GET {where}" in caught.value.message


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ({"version": 1, "id": 1, "schema": '"string"'}, "subject must be a string, not nothing"),
        (
            {"subject": "a-value", "version": "one", "id": 1, "schema": '"string"'},
            "'version' must be an integer, not a string",
        ),
        (
            {"subject": "a-value", "version": 1.5, "id": 1, "schema": '"string"'},
            "'version' must be an integer, not a float",
        ),
    ],
)
def test_item03_schemas_rows_without_subject_or_integer_version(
    proxy: FaultProxy, row: dict[str, object], said: str
) -> None:
    proxy.add(Rule("body", path="/schemas", body=_json([row])))
    with pytest.raises(RegistryAnswerError) as caught:
        client(proxy.url).read_state(["a-value"])
    assert said in caught.value.message and "GET /schemas" in caught.value.message


def test_item03_broken_answer_is_not_mistaken_for_an_older_server() -> None:
    legacy = ServerOptions(bulk_listing=False, deleted_flag=False)
    with RegistryServer(options=legacy) as old, FaultProxy(old.url) as proxy:
        client(old.url).register("a-value", V1)
        proxy.add(Rule("html", path="/subjects", query="deleted=true"))
        with pytest.raises(RegistryAnswerError, match="HTML page"):
            client(proxy.url).read_state(["a-value"])


# -- item 4: one deadline per answer -----------------------------------------------------------


def test_item04_trickling_answer_meets_the_deadline(
    server: RegistryServer, proxy: FaultProxy
) -> None:
    seed = client(server.url)
    for n in range(4):
        seed.register(f"subject-{n}-value", V1)
    proxy.add(Rule("drip", path="/subjects", delay=0.05))  # ~90 bytes: 4.5 s in full
    started = time.monotonic()
    with pytest.raises(RegistryAnswerError, match="deadline_seconds = 0.3"):
        client(proxy.url, deadline_seconds=0.3).list_subjects()
    assert time.monotonic() - started < 2.0


def test_item04_trickling_status_line_and_headers_meet_the_deadline(proxy: FaultProxy) -> None:
    proxy.add(Rule("drip_all", path="/config", delay=0.05))  # ~110 bytes of headers alone
    started = time.monotonic()
    with pytest.raises(RegistryAnswerError, match="deadline_seconds = 0.3"):
        client(proxy.url, deadline_seconds=0.3).get_compatibility()
    assert time.monotonic() - started < 2.0
    assert len(proxy.seen) == 1  # a deadline is not retried


# -- item 5: bounded JSON in answers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested deeper than the parser allows"),
        (b'{"compatibilityLevel": ' + b"9" * 5000 + b"}", "more digits than the parser allows"),
    ],
    ids=["nested-100000-deep", "integer-5000-digits"],
)
def test_item05_deep_or_huge_json_answer_is_a_registry_error(
    proxy: FaultProxy, body: bytes, said: str
) -> None:
    proxy.add(Rule("body", path="/config", body=body))
    with pytest.raises(RegistryAnswerError, match=said):
        client(proxy.url).get_compatibility()


# -- item 11: an answer cut mid-body ----------------------------------------------------------


def test_item11_reset_mid_body_on_get_is_retried(server: RegistryServer, proxy: FaultProxy) -> None:
    client(server.url).register("a-value", V1)
    proxy.add(Rule("reset", path="/subjects/a-value/versions/1"))
    assert client(proxy.url).get_version("a-value", 1).version == 1
    tries = [s for s in proxy.seen if s.path.startswith("/subjects/a-value/versions/1")]
    assert len(tries) == 2


def test_item11_reset_every_time_ends_in_a_connection_error(proxy: FaultProxy) -> None:
    proxy.add(Rule("reset", path="/subjects", times=None))
    with pytest.raises(RegistryError, match=r"cannot reach registry .*GET /subjects"):
        client(proxy.url).list_subjects()


# -- item 12: Retry-After garbage --------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("nan", None),
        ("NaN", None),
        ("inf", None),
        ("-inf", None),
        ("1e999", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00", None),  # a date without its zone
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # in the past
        ("-3", 0.0),
        ("1.5", 1.5),
    ],
)
def test_item12_retry_after_values(header: str, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_item12_retry_after_nan_is_retried_with_backoff(server: RegistryServer) -> None:
    server.fail_next(503, retry_after=float("nan"))
    assert client(server.url).list_subjects() == []
    assert server.request_count == 2


# -- item 21: the size of an answer, decompressed ---------------------------------------------


def test_item21_gzip_bomb_stops_at_the_size_limit(proxy: FaultProxy) -> None:
    proxy.add(Rule("gzip_bomb", path="/subjects", size=64 * 1024 * 1024))
    reg = client(proxy.url, max_response_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(RegistryAnswerError, match="max_response_bytes = 1048576"):
            reg.list_subjects()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak


def test_item21_declared_length_over_the_limit_is_refused_unread(
    server: RegistryServer, proxy: FaultProxy
) -> None:
    proxy.add(Rule("body", path="/subjects", body=_json(["x" * 5000])))
    with pytest.raises(RegistryAnswerError, match="max_response_bytes = 1000"):
        client(proxy.url, max_response_bytes=1000).list_subjects()


# -- items 1, 2, 10: secrets -------------------------------------------------------------------


def _forms(secret: str) -> list[str]:
    return [secret, quote(secret, safe=""), base64.b64encode(secret.encode()).decode()]


def test_item02_secret_headers_not_forwarded_to_another_host(server: RegistryServer) -> None:
    with FaultProxy(server.url) as there, FaultProxy(server.url) as here:
        # Another host name for the same machine: requests compares host names.
        elsewhere = there.url.replace("127.0.0.1", "localhost")
        here.add(Rule("redirect", path="/subjects", location=elsewhere, times=None))
        reg = client(here.url, extra_headers=(("X-Api-Key", KEY), ("X-Tenant-Token", "t0k")))
        assert reg.list_subjects() == []
        with_token = client(here.url, bearer_token="bearer-s3cret")
        assert with_token.list_subjects() == []
        with_basic = client(here.url, username="svc", password=PASSWORD)
        assert with_basic.list_subjects() == []
    assert [s.headers.get("X-Api-Key") for s in here.seen] == [KEY, None, None]
    assert there.seen, "the redirect was followed"
    for seen in there.seen:
        names = {name.lower() for name in seen.headers}
        assert not names & {"x-api-key", "x-tenant-token", "authorization", "cookie"}


def test_item02_secret_headers_kept_on_a_redirect_to_the_same_origin(proxy: FaultProxy) -> None:
    proxy.add(Rule("redirect", path="/subjects", location=proxy.url))
    reg = client(proxy.url, extra_headers=(("X-Api-Key", KEY),))
    assert reg.list_subjects() == []
    assert [s.headers.get("X-Api-Key") for s in proxy.seen] == [KEY, KEY]


def test_item10_basic_token_echoed_in_an_error_body_is_redacted(proxy: FaultProxy) -> None:
    token = base64.b64encode(f"svc:{PASSWORD}".encode()).decode()
    echo = f"bad request; Authorization: Basic {token}; password={quote(PASSWORD, safe='')}"
    proxy.add(Rule("body", status=400, body=_json({"error_code": 400, "message": echo})))
    with pytest.raises(RegistryError) as caught:
        client(proxy.url, username="svc", password=PASSWORD).list_subjects()
    shown = str(caught.value) + repr(caught.value.registry_message)
    assert "Basic ***" in shown
    for secret in (token, *_forms(PASSWORD)):
        assert secret not in shown


@pytest.mark.parametrize(
    ("status", "said", "hint"),
    [
        (401, "Unauthorized: API key svc is expired", "username/password or token"),
        (403, "User svc is denied operation Read on Subject: shop.T0", "role bindings or ACLs"),
    ],
)
def test_a_refused_login_shows_the_registrys_own_words_redacted(
    proxy: FaultProxy, status: int, said: str, hint: str
) -> None:
    echo = f"{said} (password={PASSWORD})"
    proxy.add(Rule("body", status=status, body=_json({"error_code": status, "message": echo})))
    with pytest.raises(RegistryError) as caught:
        client(proxy.url, username="svc", password=PASSWORD).list_subjects()
    shown = str(caught.value)
    assert f"HTTP {status}" in shown and said in shown and hint in shown
    assert "password=***" in shown
    for secret in _forms(PASSWORD):
        assert secret not in shown


URL_SECRETS = ["ab/cD+eF3cr3t", "p#ss", "p?ss", "50%off", "p@ss", "p:ss", PASSWORD]


@pytest.mark.parametrize("password", URL_SECRETS)
def test_item01_password_with_url_specials_works_and_is_never_printed(
    password: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with RegistryServer(options=ServerOptions(basic_auth=("apikey", password))) as authed:
        monkeypatch.setenv("SCHEMA_REGISTRY_URL", authed.url.replace("//", f"//apikey:{password}@"))
        assert main(["status"]) == 0
        if password == PASSWORD:  # one failing run is enough to read every error path
            authed.fail_next(503, times=100)
            assert main(["--debug", "status"]) == EXIT_ERROR
        # A URL that cannot be valid (its port is not a number) fails without the secret.
        monkeypatch.setenv("SCHEMA_REGISTRY_URL", f"https://apikey:{password}@host:80x1")
        assert main(["status"]) == EXIT_ERROR
    out = capsys.readouterr()
    assert "apikey:***@host:80x1" in out.err
    for form in _forms(password):
        assert form not in out.out + out.err


def test_item01_register_with_url_credentials_round_trips(server: RegistryServer) -> None:
    reg = client(server.url.replace("//", f"//svc:{quote(PASSWORD, safe='')}@"))
    assert reg.register("a-value", V1).version == 1
    assert reg.register("a-value", V2).version == 2
    assert reg.lookup("a-value", Schema(V2.schema_str)) is not None


# -- item 18: live schemas aurum-sr cannot read ------------------------------------------------

_CONTRACTS = """\
format_version: 1
defaults:
  owned_prefixes: [shop.]
subjects:
""" + "".join(
    f"  - subject: shop.T{i}\n    schema: schemas/t{i}.avsc\n    naming_strategy: record\n"
    for i in range(3)
)
UNREADABLE = {
    "protobuf": Schema('syntax = "proto3"; message T0 { string id = 1; }', SchemaType.PROTOBUF),
    "json-schema": Schema('{"type": "object"}', SchemaType.JSON),
    "not-json": Schema('{"type": "record", "name": '),
    "not-avro": Schema('{"type": "record", "name": "T0", "fields": "none"}'),
}


def _record(i: int) -> dict[str, object]:
    return {
        "type": "record",
        "name": f"T{i}",
        "namespace": "shop",
        "doc": "A thing.",
        "fields": [{"name": "id", "type": "string", "doc": "Its id."}],
    }


def _live(server: RegistryServer, subjects: dict[str, Schema]) -> None:
    assert server.engine is not None
    server.engine.load_state(
        LiveState(
            "seed",
            CompatibilityLevel.BACKWARD,
            Mode.READWRITE,
            {
                name: SubjectState(name, (RegisteredSchema(name, 1, 40 + n, schema),))
                for n, (name, schema) in enumerate(sorted(subjects.items()))
            },
        )
    )


@pytest.mark.parametrize("kind", sorted(UNREADABLE))
def test_item18_an_unreadable_live_schema_blocks_only_its_subject(
    server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    files: dict[str, str | dict[str, object]] = {f"schemas/t{i}.avsc": _record(i) for i in range(3)}
    root = write_repo(tmp_path, _CONTRACTS, files)
    # shop.T0 holds what aurum-sr cannot read; shop.T1 is up to date; shop.T2 is new.
    _live(server, {"shop.T0": UNREADABLE[kind], "shop.T1": Schema(json.dumps(_record(1)))})
    plan_args = ["plan", "--root", str(root), "--registry", server.url]
    assert main([*plan_args, "--format", "json"]) == EXIT_INCOMPATIBLE
    document = json.loads(capsys.readouterr().out)
    by_subject = {s["subject"]: s for s in document["subjects"]}
    assert set(by_subject) == {"shop.T0", "shop.T2"}
    blocked = by_subject["shop.T0"]
    assert blocked["action"] == "blocked"
    [reason] = blocked["blocked_reasons"]
    assert reason["code"] == "live_schema_unusable"
    assert (reason["subject"], reason["version"], reason["schema_id"]) == ("shop.T0", 1, 40)
    assert reason["schema_type"] == UNREADABLE[kind].schema_type.value
    assert by_subject["shop.T2"]["action"] == "create"
    assert [s["subject"] for s in document["steps"]] == ["shop.T2"]
    # Every renderer says which live version of which subject, and why.
    for fmt in ("human", "markdown", "github", "junit"):
        assert main([*plan_args, "--format", fmt]) == EXIT_INCOMPATIBLE
        out = capsys.readouterr().out
        assert f"live shop.T0 v1 (id 40, {reason['schema_type']})" in out, (fmt, out)
        assert "cannot be read by aurum-sr" in out


def test_item18_unmanaged_subjects_with_unreadable_schemas_block_nothing(
    server: RegistryServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files: dict[str, str | dict[str, object]] = {f"schemas/t{i}.avsc": _record(i) for i in range(3)}
    root = write_repo(tmp_path, _CONTRACTS, files)
    _live(server, {f"shop.U{n}": schema for n, schema in enumerate(UNREADABLE.values())})
    _live(server, {f"other.{kind}": schema for kind, schema in UNREADABLE.items()})
    code = main(["plan", "--root", str(root), "--registry", server.url, "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK
    assert not [s for s in document["subjects"] if s["action"] == "blocked"]
    assert len(document["steps"]) == 3
    assert {u["subject"] for u in document["unmanaged"]} >= {f"shop.U{n}" for n in range(4)}


def test_a_registry_without_referencedby_warns_instead_of_failing_a_plan_with_deletes(
    server: RegistryServer, proxy: FaultProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contracts = _CONTRACTS + "  - subject: shop.Old\n    lifecycle: absent\n"
    files: dict[str, str | dict[str, object]] = {f"schemas/t{i}.avsc": _record(i) for i in range(3)}
    root = write_repo(tmp_path, contracts, files)
    _live(server, {"shop.Old": Schema(json.dumps(_record(9)))})
    missing = _json({"error_code": 404, "message": "HTTP 404 Not Found"})
    proxy.add(Rule("body", path="/subjects/shop.Old/versions/1/referencedby", status=404,
                   body=missing))  # fmt: skip
    plan_args = ["plan", "--root", str(root), "--registry", proxy.url]
    assert main([*plan_args, "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert [w["code"] for w in document["warnings"]] == ["live_references_unchecked"]
    assert document["warnings"][0]["subjects"] == ["shop.Old"]
    old = next(s for s in document["subjects"] if s["subject"] == "shop.Old")
    assert old["action"] == "delete" and not old["blocked_reasons"]
    proxy.add(Rule("body", path="/subjects/shop.Old/versions/1/referencedby", status=404,
                   body=missing))  # fmt: skip
    assert main(plan_args) == EXIT_OK
    assert "could not be checked" in capsys.readouterr().out
