"""get_model and payload_from_contract: lookup, root discovery, caching, errors."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from aurum_sr.codegen import clear_cache, find_root, get_model, payload_from_contract
from aurum_sr.codegen import models as models_module
from aurum_sr.errors import DesiredStateError, SchemaInputError
from aurum_sr.model import DesiredState
from tests.codegen.contracts import REPO, example_state


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """get_model reads the example contracts (built by the test helper); records each load."""
    seen: list[Path] = []

    def load(root: Path) -> DesiredState:
        seen.append(root)
        return example_state()

    clear_cache()
    monkeypatch.setattr(models_module, "load_state", load)
    yield seen
    clear_cache()


def test_root_is_the_nearest_parent_with_contracts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "contracts.yml").write_text("format_version: 1\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert find_root() == tmp_path.resolve()
    assert find_root("elsewhere") == (nested / "elsewhere").resolve()


def test_root_defaults_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_root() == tmp_path.resolve()


def test_models_are_cached_per_root_and_subject(loads: list[Path]) -> None:
    first = get_model("aurum.scenario.request.v1-value", root=REPO)
    assert get_model("aurum.scenario.request.v1-value", root=REPO) is first
    assert loads == [REPO.resolve()]
    other = get_model("aurum.scenario.request.v1-key", root=REPO)
    assert other is not first
    clear_cache()
    # Same schema text, same module: rebuilding after clear_cache gives the same class.
    assert get_model("aurum.scenario.request.v1-value", root=REPO) is first


def test_payload_from_contract_validates_a_dict(loads: list[Path]) -> None:
    payload = payload_from_contract(
        "aurum.scenario.request.v1-key", {"tenant_id": "t", "scenario_id": "s"}, root=REPO
    )
    assert payload.model_dump() == {"tenant_id": "t", "scenario_id": "s"}
    with pytest.raises(ValidationError) as caught:
        payload_from_contract("aurum.scenario.request.v1-key", {"tenant_id": "t"}, root=REPO)
    assert [e["loc"] for e in caught.value.errors()] == [("scenario_id",)]


def test_unknown_and_absent_subjects_are_clear_errors(loads: list[Path]) -> None:
    with pytest.raises(SchemaInputError, match="'nope' is not in contracts/contracts.yml") as err:
        get_model("nope", root=REPO)
    assert "aurum.scenario.request.v1-value" in str(err.value)
    with pytest.raises(SchemaInputError, match="is absent"):
        get_model("aurum.legacy.prices.v0-value", root=REPO)


def test_the_issue_example_end_to_end_from_the_repository(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear_cache()
    monkeypatch.chdir(REPO / "schemas")  # found by walking up to contracts/contracts.yml
    scenario_request = get_model("aurum.scenario.request.v1-value")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # utcnow() is deprecated in 3.12
        now = dt.datetime.utcnow()
    payload = scenario_request(
        scenario_id="scenario-123",
        tenant_id="tenant-abc",
        requested_by="api",
        asof_date=None,
        curve_def_ids=[],
        assumptions=[],
        submitted_ts=now,
    )
    avro_ready = payload.model_dump(mode="python")
    assert avro_ready["submitted_ts"].tzinfo is dt.timezone.utc
    assert set(avro_ready) == {
        "scenario_id", "tenant_id", "requested_by", "asof_date", "curve_def_ids",
        "assumptions", "submitted_ts",
    }  # fmt: skip
    for subject in ("aurum.noaa.weather.v1-value", "aurum.iso.lmp.v1-value"):
        assert "location" in get_model(subject).model_fields  # references resolved
    clear_cache()


def test_a_directory_without_contracts_is_a_desired_state_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_cache()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DesiredStateError, match="contracts file not found"):
        get_model("aurum.scenario.request.v1-value")


def test_field_tags_of_the_data_contract_are_in_the_field_metadata(loads: list[Path]) -> None:
    request = get_model("aurum.scenario.request.v1-value")
    assert request.model_fields["requested_by"].json_schema_extra == {"tags": ["PII"]}
    assert request.model_fields["tenant_id"].json_schema_extra is None
    schema = request.model_json_schema()
    assert schema["properties"]["requested_by"]["tags"] == ["PII"]


def test_wildcard_and_configured_tags_reach_every_field_they_match() -> None:
    from dataclasses import replace

    from aurum_sr.codegen.models import model_for_state
    from aurum_sr.datacontracts import ContractConfig, Metadata

    state = example_state()
    subject = "aurum.scenario.request.v1-value"
    spec = replace(
        state.subjects[subject],
        registry_metadata=Metadata.of(tags={"**.*_id": ["ID"]}),
        contract_config=ContractConfig(
            override_metadata=Metadata.of(tags={"aurum.scenario.ScenarioRequest.payload": ["X"]}),
            default_metadata=Metadata.of(
                tags={"aurum.scenario.ScenarioAssumption.payload": ["JSON"]}
            ),
        ),
    )
    model = model_for_state(replace(state, subjects={**state.subjects, subject: spec}), subject)
    assert model.model_fields["scenario_id"].json_schema_extra == {"tags": ["ID"]}
    assert model.model_fields["tenant_id"].json_schema_extra == {"tags": ["ID"]}
    assumption = model.model_fields["assumptions"].annotation.__args__[0]  # type: ignore[union-attr]
    assert assumption.model_fields["payload"].json_schema_extra == {"tags": ["JSON"]}
    assert assumption.model_fields["assumption_id"].json_schema_extra == {"tags": ["ID"]}
