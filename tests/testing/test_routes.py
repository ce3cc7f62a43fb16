"""The test server's route table: every endpoint answers, the ones an older server lacks are the
framework's 404, and anything else is the framework's 404 too."""

from __future__ import annotations

from dataclasses import fields

import pytest
import requests

from aurum_sr.testing import RegistryServer, ServerOptions
from aurum_sr.testing.routes import ROUTES, Call, Route, RouteTable
from tests.registry.helpers import V1

CT = {"Content-Type": "application/vnd.schemaregistry.v1+json"}
ARGS = {"subject": "a-value", "version": "1", "id": "1"}
BODIES = {"PUT": {"compatibility": "FULL", "mode": "READWRITE"}, "POST": {"schema": V1.schema_str}}


def concrete(route: Route) -> str:
    return "/" + "/".join(ARGS[p[1:-1]] if p.startswith("{") else p for p in route.pattern)


def seeded(options: ServerOptions | None = None) -> RegistryServer:
    server = RegistryServer(options or ServerOptions()).start()
    assert server.engine is not None
    server.engine.register("a-value", V1)
    server.engine.set_compatibility(server.engine.global_compatibility, "a-value")
    server.engine.set_mode(server.engine.global_mode, "a-value")
    return server


def send(server: RegistryServer, method: str, path: str) -> requests.Response:
    return requests.request(
        method, server.url + path, json=BODIES.get(method), headers=CT, timeout=5
    )


@pytest.mark.parametrize("route", ROUTES.routes, ids=lambda r: f"{r.method} {concrete(r)}")
def test_every_route_answers(route: Route) -> None:
    server = seeded()
    try:
        answer = send(server, route.method, concrete(route))
    finally:
        server.stop()
    assert answer.status_code == 200, answer.text


# Each option that removes endpoints, and one endpoint it removes.
MISSING = [
    ("metadata_endpoint", "GET", "/v1/metadata/version"),
    ("bulk_listing", "GET", "/schemas"),
    ("combined_compatibility", "POST", "/compatibility/subjects/a-value/versions"),
    ("mode_endpoints", "GET", "/mode"),
    ("mode_endpoints", "PUT", "/mode/a-value"),
    ("mode_endpoints", "DELETE", "/mode/a-value"),
]


@pytest.mark.parametrize(("option", "method", "path"), MISSING)
def test_an_endpoint_an_older_server_lacks_is_the_framework_s_404(
    option: str, method: str, path: str
) -> None:
    assert option in {f.name for f in fields(ServerOptions)}
    options = ServerOptions()
    setattr(options, option, False)
    server = seeded(options)
    try:
        answer = send(server, method, path)
    finally:
        server.stop()
    assert answer.status_code == 404 and answer.json()["error_code"] == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/"),
        ("PUT", "/subjects"),
        ("GET", "/subjects/a-value/nothing"),
        ("PUT", "/subjects/a-value/versions/1"),
        ("GET", "/schemas/ids/not-a-number"),
        ("DELETE", "/mode"),
        ("GET", "/config/a-value/extra"),
        ("POST", "/compatibility/subjects/a-value/other"),
    ],
)
def test_anything_else_is_the_framework_s_404(
    registry_server: RegistryServer, method: str, path: str
) -> None:
    answer = send(registry_server, method, path)
    assert answer.status_code == 404 and answer.json()["error_code"] == 404


def test_a_subject_with_a_slash_is_one_path_segment(registry_server: RegistryServer) -> None:
    answer = send(registry_server, "POST", "/subjects/team%2Forders/versions")
    assert answer.status_code == 200
    assert registry_server.engine is not None
    assert registry_server.engine.list_subjects() == ["team/orders"]


def test_a_server_answers_from_the_route_table_it_is_given() -> None:
    def hello(call: Call) -> object:
        return {"hello": call.args["name"], "loud": call.flag("loud")}

    table = RouteTable([*ROUTES.routes, Route("GET", ("hello", "{name}"), hello)])
    with RegistryServer(routes=table) as server:
        answer = requests.get(f"{server.url}/hello/world?loud=true", timeout=5)
        assert answer.json() == {"hello": "world", "loud": True}
        assert requests.get(f"{server.url}/subjects", timeout=5).json() == []


def test_the_first_matching_route_wins() -> None:
    def first(call: Call) -> object:
        return "first"

    def second(call: Call) -> object:
        return "second"

    table = RouteTable([Route("GET", ("x", "{a}"), first), Route("GET", ("x", "y"), second)])
    route, args = table.find("GET", ["x", "y"], ServerOptions())
    assert route.handler is first and args == {"a": "y"}
