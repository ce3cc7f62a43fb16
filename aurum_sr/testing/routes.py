"""The registry's REST API as a route table: method and path pattern → handler.

Each :class:`Route` names one endpoint (``GET /subjects/{subject}/versions/{version}``), the
handler that answers it from the engine, and — for endpoints that older servers or other
implementations lack — when it exists at all (:attr:`Route.exists`). A request no route matches
gets the HTTP framework's 404 (``error_code`` 404, not a registry code), as a real server's
does. Handlers return the JSON body of a 200 answer, or raise: a
:class:`~aurum_sr.errors.RegistryError` from the engine (answered with its status, code and
message) or an :class:`Answer`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from aurum_sr.compat.differences import VerdictClass, verdict_differences
from aurum_sr.errors import RegistryError
from aurum_sr.model import CompatibilityLevel, Mode, RegisteredSchema, Schema
from aurum_sr.registry import wire
from aurum_sr.registry.codes import ERRORS, ErrorCode
from aurum_sr.registry.engine import RegistryEngine
from aurum_sr.testing.options import ServerOptions

E = TypeVar("E", CompatibilityLevel, Mode)


class Answer(Exception):
    """An answer other than 200, raised by a handler."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def framework_404() -> Answer:
    """What the HTTP framework answers for a path the registry does not have."""
    return Answer(404, wire.error_body(404, "HTTP 404 Not Found"))


def refusal(code: ErrorCode, message: str) -> Answer:
    """The registry's answer for ``code`` (its HTTP status from the code table)."""
    return Answer(ERRORS[code].http_status, wire.error_body(code, message))


@dataclass(frozen=True)
class Call:
    """One request, as a handler sees it."""

    engine: RegistryEngine
    options: ServerOptions
    args: Mapping[str, str]
    """The path's variable segments, decoded (``subject``, ``version``, ``id``)."""
    params: Mapping[str, str]
    """Query parameters (the last value of each)."""
    body: Any
    """The decoded JSON body (``{}`` when there is none)."""

    def flag(self, name: str) -> bool:
        """A boolean query parameter (``true``/``false``; absent is false)."""
        return self.params.get(name, "false").lower() == "true"

    @property
    def subject(self) -> str:
        return self.args["subject"]

    def entity(self, registered: RegisteredSchema) -> dict[str, Any]:
        """A version entity as this server spells it (``deleted`` and ``schemaType`` from CP
        8.0 on)."""
        new = self.options.deleted_flag
        return wire.registered_to_wire(registered, omit_avro_type=not new, with_deleted=new)


Handler = Callable[[Call], Any]


def _always(options: ServerOptions) -> bool:
    return True


@dataclass(frozen=True)
class Route:
    """One endpoint of the API."""

    method: str
    pattern: tuple[str, ...]
    """Path segments; ``{name}`` matches any one segment and is passed as ``args[name]``."""
    handler: Handler
    exists: Callable[[ServerOptions], bool] = _always
    """Whether a server with these options has the endpoint (else: the framework's 404)."""

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The path's variables when ``segments`` fit the pattern, else None."""
        args: dict[str, str] = {}
        for part, segment in zip(self.pattern, segments, strict=True):
            if part.startswith("{"):
                args[part[1:-1]] = segment
            elif part != segment:
                return None
        return args


class RouteTable:
    """Routes by method and path length; the first that matches wins."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = tuple(routes)
        self._index: dict[tuple[str, int], list[Route]] = {}
        for route in self.routes:
            self._index.setdefault((route.method, len(route.pattern)), []).append(route)

    def find(
        self, method: str, segments: list[str], options: ServerOptions
    ) -> tuple[Route, dict[str, str]]:
        """The route answering ``method`` on ``segments`` and the path's variables.

        Raises:
            Answer: the framework's 404 when no route of a server with ``options`` matches.
        """
        for route in self._index.get((method, len(segments)), ()):
            args = route.match(segments)
            if args is not None and route.exists(options):
                return route, args
        raise framework_404()


# -- parsing path segments ---------------------------------------------------------------------


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise framework_404() from None


def _version(text: str) -> int | str:
    if text.lower() == "latest":
        return "latest"
    try:
        number = int(text)
    except ValueError:
        raise refusal(ErrorCode.INVALID_VERSION, f"Invalid version {text!r}") from None
    if number == -1:
        return "latest"
    if number < 1:
        raise refusal(ErrorCode.INVALID_VERSION, f"Invalid version {text!r}")
    return number


def _parse(enum: type[E], value: object, code: ErrorCode) -> E:
    try:
        return enum(str(value).upper())
    except ValueError:
        raise refusal(code, f"Invalid value {value!r}") from None


# -- handlers ----------------------------------------------------------------------------------


def root(call: Call) -> Any:
    return {}


def metadata_version(call: Call) -> Any:
    return {"version": call.options.server_version, "commitId": "aurum-sr-testing"}


def list_subjects(call: Call) -> Any:
    return call.engine.list_subjects(
        deleted=call.flag("deleted") or call.flag("deletedOnly"),
        prefix=call.params.get("subjectPrefix") or None,
    )


def _sent_schema(call: Call) -> Schema:
    """The schema of a request body; without data contracts, its metadata and rule set are
    ignored as the unknown fields they are to such a server."""
    schema = wire.schema_from_wire(call.body)
    if call.options.data_contracts:
        return schema
    return replace(schema, metadata=None, rule_set=None)


def lookup(call: Call) -> Any:
    schema = _sent_schema(call)
    if call.options.lookup_validates_first:
        _refuse_names_this_build_cannot_parse(call, schema)
    return call.entity(call.engine.lookup(call.subject, schema, deleted=call.flag("deleted")))


def delete_subject(call: Call) -> Any:
    return call.engine.delete_subject(call.subject, permanent=call.flag("permanent"))


def list_versions(call: Call) -> Any:
    return call.engine.list_versions(call.subject, deleted=call.flag("deleted"))


def _as_stored(call: Call, schema: Schema) -> Schema:
    """``schema`` as this server stores it (Karapace: sorted keys, no whitespace)."""
    if not call.options.sorted_schema_text:
        return schema
    text = json.dumps(json.loads(schema.schema_str), sort_keys=True, separators=(",", ":"))
    return replace(schema, schema_str=text)


def _refuse_what_this_build_cannot_parse(call: Call, schema: Schema) -> None:
    """Karapace's refusals of schemas Confluent accepts (docs/registries.md)."""
    options = call.options
    if not (options.refuses_error_records or options.strict_avro_names):
        return
    found = verdict_differences(schema.schema_str, ())
    if options.refuses_error_records and VerdictClass.ERROR_RECORD in found:
        raise Answer(500, wire.error_body(500, "Internal Server Error"))
    _refuse_names_this_build_cannot_parse(call, schema)


def _refuse_names_this_build_cannot_parse(call: Call, schema: Schema) -> None:
    """42201 for names with ``-`` and enum defaults outside the symbols (``strict_avro_names``)."""
    if not call.options.strict_avro_names:
        return
    if VerdictClass.NON_SPEC_NAMES in verdict_differences(schema.schema_str, ()):
        raise refusal(
            ErrorCode.INVALID_SCHEMA, "Invalid schema: the name or enum default is invalid"
        )


def register(call: Call) -> Any:
    schema = _sent_schema(call)
    _refuse_what_this_build_cannot_parse(call, schema)
    registered = call.engine.register(
        call.subject,
        _as_stored(call, schema),
        schema_id=call.body.get("id"),
        version=call.body.get("version") or None,
    )
    if not call.options.register_returns_version:
        return {"id": registered.schema_id}
    return {
        "id": registered.schema_id,
        "version": registered.version,
        **wire.schema_to_wire(registered.schema, omit_avro_type=True),
    }


def get_version(call: Call) -> Any:
    version = _version(call.args["version"])
    return call.entity(call.engine.get_version(call.subject, version, deleted=call.flag("deleted")))


def get_version_schema(call: Call) -> Any:
    version = _version(call.args["version"])
    found = call.engine.get_version(call.subject, version, deleted=call.flag("deleted"))
    return json.loads(found.schema.schema_str)


def delete_version(call: Call) -> Any:
    version = _version(call.args["version"])
    if not isinstance(version, int) or version == -1:
        version = call.engine.get_version(call.subject, "latest").version
    return call.engine.delete_version(call.subject, version, permanent=call.flag("permanent"))


def list_schemas(call: Call) -> Any:
    options = call.options
    page = call.engine.list_schemas(
        prefix=call.params.get("subjectPrefix", "") if options.honours_prefix else "",
        deleted=call.flag("deleted"),
        latest_only=call.flag("latestOnly") and options.honours_latest_only,
        offset=int(call.params.get("offset", "0")) if options.honours_paging else 0,
        limit=int(call.params.get("limit", "-1")) if options.honours_paging else -1,
    )
    return [call.entity(e) for e in page]


def schema_types(call: Call) -> Any:
    return ["AVRO", "JSON", "PROTOBUF"]


def get_schema(call: Call) -> Any:
    schema = call.engine.get_schema_by_id(_int(call.args["id"]))
    return wire.schema_to_wire(schema, omit_avro_type=not call.options.deleted_flag)


def referenced_by(call: Call) -> Any:
    version = _version(call.args["version"])
    if not isinstance(version, int) or version == -1:
        version = call.engine.get_version(call.subject, "latest").version
    return call.engine.referenced_by_ids(call.subject, version)


def id_versions(call: Call) -> Any:
    pairs = call.engine.versions_of_id(_int(call.args["id"]))
    return [{"subject": subject, "version": version} for subject, version in pairs]


def get_schema_text(call: Call) -> Any:
    return json.loads(call.engine.get_schema_by_id(_int(call.args["id"])).schema_str)


def compatibility(call: Call) -> Any:
    version = _version(call.args["version"]) if "version" in call.args else None
    schema = wire.schema_from_wire(call.body)
    verbose = call.flag("verbose")
    try:
        result = call.engine.test_compatibility(call.subject, schema, version=version)
    except RegistryError as exc:
        if exc.error_code == ErrorCode.INVALID_SCHEMA and verbose:
            return {"is_compatible": False, "messages": [exc.message]}
        raise
    answer: dict[str, Any] = {"is_compatible": result.is_compatible}
    if verbose or (call.options.always_verbose and not result.is_compatible):
        answer["messages"] = [b.message for b in result.breaking_changes]
    return answer


def _no_setting(call: Call, code: ErrorCode, what: str) -> Answer:
    if not call.options.subject_setting_codes:
        code = ErrorCode.SUBJECT_NOT_FOUND
    subject = call.args.get("subject")
    return refusal(code, f"Subject '{subject}' does not have subject-level {what} configured")


def get_config(call: Call) -> Any:
    subject = call.args.get("subject")
    level = call.engine.get_compatibility(subject, default_to_global=call.flag("defaultToGlobal"))
    contract = call.engine.get_contract_config(subject) if subject is not None else None
    if level is None and (contract is None or contract.empty):
        raise _no_setting(call, ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, "compatibility")
    answer: dict[str, Any] = {} if level is None else {"compatibilityLevel": level.value}
    if contract is not None and call.options.data_contracts:
        answer.update(wire.contract_config_to_wire(contract))
    return answer


def put_config(call: Call) -> Any:
    subject = call.args.get("subject")
    sent = [key for key in wire.CONTRACT_CONFIG_FIELDS if key in call.body]
    if subject is not None and sent and call.options.data_contracts:
        try:
            config = wire.contract_config_from_wire(call.body)
        except wire.WireError as exc:
            raise refusal(ErrorCode.INVALID_SCHEMA, str(exc)) from exc
        call.engine.set_contract_config(subject, config, [wire.to_snake(k) for k in sent])
        if call.body.get("compatibility") is None:
            return wire.contract_config_to_wire(config)
    level = _parse(
        CompatibilityLevel,
        call.body.get("compatibility"),
        ErrorCode.INVALID_COMPATIBILITY_LEVEL,
    )
    call.engine.set_compatibility(level, subject)
    return wire.compatibility_to_wire(level)


def delete_config(call: Call) -> Any:
    previous = call.engine.delete_compatibility(call.args.get("subject"))
    return {"compatibilityLevel": previous.value}


def _method_not_allowed() -> Answer:
    """What Karapace answers for a method its route does not have."""
    return Answer(405, "Method Not Allowed")


def get_mode(call: Call) -> Any:
    subject = call.args.get("subject")
    fall_back = call.flag("defaultToGlobal")
    if subject is not None and call.options.subject_mode_falls_back:
        if subject not in call.engine.list_subjects(deleted=True):
            raise refusal(ErrorCode.SUBJECT_NOT_FOUND, f"Subject '{subject}' not found.")
        fall_back = True
    mode = call.engine.get_mode(subject, default_to_global=fall_back)
    if mode is None:
        raise _no_setting(call, ErrorCode.SUBJECT_MODE_NOT_CONFIGURED, "mode")
    return wire.mode_to_wire(mode)


def put_mode(call: Call) -> Any:
    if not call.options.mode_writes:
        raise _method_not_allowed()
    mode = _parse(Mode, call.body.get("mode"), ErrorCode.INVALID_MODE)
    call.engine.set_mode(mode, call.args.get("subject"), force=call.flag("force"))
    return wire.mode_to_wire(mode)


def delete_mode(call: Call) -> Any:
    if not call.options.mode_writes:
        raise _method_not_allowed()
    return wire.mode_to_wire(call.engine.delete_mode(call.subject))


def _has_metadata(options: ServerOptions) -> bool:
    return options.metadata_endpoint


def _has_bulk_listing(options: ServerOptions) -> bool:
    return options.bulk_listing


def _has_combined_compatibility(options: ServerOptions) -> bool:
    return options.combined_compatibility


def _has_modes(options: ServerOptions) -> bool:
    return options.mode_endpoints


_SUBJECT = ("subjects", "{subject}")
_VERSIONS = (*_SUBJECT, "versions")
_VERSION = (*_VERSIONS, "{version}")
_COMPATIBILITY = ("compatibility", "subjects", "{subject}", "versions")

ROUTES = RouteTable(
    [
        Route("GET", (), root),
        Route("GET", ("v1", "metadata", "version"), metadata_version, _has_metadata),
        Route("GET", ("subjects",), list_subjects),
        Route("POST", _SUBJECT, lookup),
        Route("DELETE", _SUBJECT, delete_subject),
        Route("GET", _VERSIONS, list_versions),
        Route("POST", _VERSIONS, register),
        Route("GET", _VERSION, get_version),
        Route("DELETE", _VERSION, delete_version),
        Route("GET", (*_VERSION, "schema"), get_version_schema),
        Route("GET", (*_VERSION, "referencedby"), referenced_by),
        Route("GET", ("schemas",), list_schemas, _has_bulk_listing),
        Route("GET", ("schemas", "types"), schema_types),
        Route("GET", ("schemas", "ids", "{id}"), get_schema),
        Route("GET", ("schemas", "ids", "{id}", "schema"), get_schema_text),
        Route("GET", ("schemas", "ids", "{id}", "versions"), id_versions),
        Route("POST", _COMPATIBILITY, compatibility, _has_combined_compatibility),
        Route("POST", (*_COMPATIBILITY, "{version}"), compatibility),
        Route("GET", ("config",), get_config),
        Route("PUT", ("config",), put_config),
        Route("DELETE", ("config",), delete_config),
        Route("GET", ("config", "{subject}"), get_config),
        Route("PUT", ("config", "{subject}"), put_config),
        Route("DELETE", ("config", "{subject}"), delete_config),
        Route("GET", ("mode",), get_mode, _has_modes),
        Route("PUT", ("mode",), put_mode, _has_modes),
        Route("GET", ("mode", "{subject}"), get_mode, _has_modes),
        Route("PUT", ("mode", "{subject}"), put_mode, _has_modes),
        Route("DELETE", ("mode", "{subject}"), delete_mode, _has_modes),
    ]
)
"""The Confluent Schema Registry REST API this server answers."""
