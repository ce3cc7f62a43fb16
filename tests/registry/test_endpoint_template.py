"""Endpoint templates for metrics: every request path the client sends, with its values
(subjects, versions, ids) replaced, so no subject name ever becomes a label value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aurum_sr.registry.http.transport import endpoint, path


@pytest.mark.parametrize(
    ("request_path", "template"),
    [
        ("/", "/"),
        ("/subjects", "/subjects"),
        ("/schemas?subjectPrefix=aurum.&latestOnly=true", "/schemas"),
        ("/config", "/config"),
        ("/mode", "/mode"),
        ("/v1/metadata/version", "/v1/metadata/version"),
        (path("config", "orders-value"), "/config/{subject}"),
        (path("mode", "orders-value"), "/mode/{subject}"),
        (path("subjects", "orders-value"), "/subjects/{subject}"),
        (path("subjects", "orders-value", "versions"), "/subjects/{subject}/versions"),
        (path("subjects", "a/b", "versions", 3), "/subjects/{subject}/versions/{version}"),
        (path("subjects", "x", "versions", "latest"), "/subjects/{subject}/versions/{version}"),
        (
            path("subjects", "x", "versions", 2, "referencedby"),
            "/subjects/{subject}/versions/{version}/referencedby",
        ),
        (path("schemas", "ids", 42), "/schemas/ids/{id}"),
        (path("schemas", "ids", 42, "versions"), "/schemas/ids/{id}/versions"),
        (
            path("compatibility", "subjects", "orders-value", "versions", 1),
            "/compatibility/subjects/{subject}/versions/{version}",
        ),
        # A subject named like a keyword is still a value; an unknown segment is never kept.
        (path("subjects", "versions", "versions"), "/subjects/{subject}/versions"),
        (path("config", "config"), "/config/{subject}"),
        ("/secret-admin/orders-value", "/{value}/{value}"),
    ],
)
def test_endpoint_template(request_path: str, template: str) -> None:
    assert endpoint(request_path) == template


@given(subject=st.text(min_size=1, max_size=40), version=st.integers(1, 10_000))
def test_no_subject_name_survives_in_a_template(subject: str, version: int) -> None:
    for segments in (
        ("subjects", subject),
        ("subjects", subject, "versions", version),
        ("config", subject),
        ("mode", subject),
        ("compatibility", "subjects", subject, "versions"),
    ):
        template = endpoint(path(*segments))
        assert set(template.strip("/").split("/")) <= {
            "subjects",
            "versions",
            "config",
            "mode",
            "compatibility",
            "{subject}",
            "{version}",
        }
        assert "{subject}" in template
