"""Inferring the naming strategy that produced a subject's name."""

from __future__ import annotations

import pytest

from aurum_sr.adopt.naming import Naming, infer_naming
from aurum_sr.model import NamingStrategy, Role

CASES = [
    ("orders-value", "com.shop.Order", Naming(NamingStrategy.TOPIC, "orders", Role.VALUE)),
    ("orders-key", "com.shop.OrderKey", Naming(NamingStrategy.TOPIC, "orders", Role.KEY)),
    ("a-b-c-value", None, Naming(NamingStrategy.TOPIC, "a-b-c", Role.VALUE)),
    ("com.shop.Order", "com.shop.Order", Naming(NamingStrategy.RECORD)),
    ("orders-com.shop.Order", "com.shop.Order", Naming(NamingStrategy.TOPIC_RECORD, "orders")),
    ("my-topic-com.shop.Order", "com.shop.Order", Naming(NamingStrategy.TOPIC_RECORD, "my-topic")),
    ("com.shop.Order", "com.shop.Other", Naming(NamingStrategy.NONE)),
    ("hand-picked", None, Naming(NamingStrategy.NONE)),
    ("-value", None, Naming(NamingStrategy.NONE)),
    ("-com.shop.Order", "com.shop.Order", Naming(NamingStrategy.NONE)),
    ("value", None, Naming(NamingStrategy.NONE)),
]


@pytest.mark.parametrize(("subject", "full_name", "expected"), CASES)
def test_infer_naming(subject: str, full_name: str | None, expected: Naming) -> None:
    assert infer_naming(subject, full_name) == expected
