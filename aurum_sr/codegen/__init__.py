"""Pydantic v2 models that enforce the contracts' Avro schemas.

::

    from aurum_sr.codegen import get_model
    ScenarioRequest = get_model("aurum.scenario.request.v1-value")
    payload = ScenarioRequest(scenario_id="scenario-123", ...)
    avro_ready = payload.model_dump(mode="python")   # Avro field names, serializer-ready values

``model_dump(mode="python")`` returns values that ``fastavro`` and ``avro`` write with the
subject's schema unchanged. What each Avro type accepts and how timestamps' timezones are handled
is described in :mod:`aurum_sr.codegen.runtime`; in short, naive ``datetime`` values for
``timestamp-*`` fields are taken as UTC and aware ones converted to UTC.

``aurum-sr codegen --out models.py`` writes the same models as a static module.
"""

from __future__ import annotations

from aurum_sr.codegen.models import (
    clear_cache,
    find_root,
    get_model,
    model_for_state,
    payload_from_contract,
)
from aurum_sr.codegen.module import render_contracts

__all__ = [
    "clear_cache",
    "find_root",
    "get_model",
    "model_for_state",
    "payload_from_contract",
    "render_contracts",
]
