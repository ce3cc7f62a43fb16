"""Schema files: paths from the full name, deterministic, distinct (also without case)."""

from __future__ import annotations

from aurum_sr.adopt.paths import allocate_paths, encode_segment


def test_path_follows_namespace_and_name() -> None:
    assert allocate_paths({"orders-value": "com.shop.Order"}) == {
        "orders-value": "schemas/com/shop/Order.avsc"
    }


def test_unnamed_schema_is_named_after_its_subject() -> None:
    assert allocate_paths({"ids-key": None}) == {"ids-key": "schemas/ids-key.avsc"}


def test_one_record_name_under_key_and_value_gets_a_file_each() -> None:
    paths = allocate_paths({"orders-key": "com.shop.Order", "orders-value": "com.shop.Order"})
    assert paths == {
        "orders-key": "schemas/com/shop/Order/orders-key.avsc",
        "orders-value": "schemas/com/shop/Order/orders-value.avsc",
    }


def test_names_that_differ_only_in_case_do_not_share_a_file() -> None:
    paths = allocate_paths({"a": "x.Order", "b": "x.ORDER"})
    assert len({p.casefold() for p in paths.values()}) == 2


def test_taken_paths_are_avoided() -> None:
    paths = allocate_paths({"s": "x.Order"}, taken={"schemas/x/order.avsc"})
    assert paths == {"s": "schemas/x/Order/s.avsc"}


def test_unsafe_characters_are_encoded_injectively() -> None:
    assert encode_segment("a:b") == "a%3Ab"
    assert encode_segment("a%3Ab") == "a%253Ab"
    assert encode_segment("..") == "%2E%2E"
    assert encode_segment("é") == "%C3%A9"
    paths = allocate_paths({"a:b": None, "a%3Ab": None, "a/b": None})
    assert len(set(paths.values())) == 3
    assert all("/" not in p.removeprefix("schemas/") for p in paths.values())


def test_allocation_does_not_depend_on_input_order() -> None:
    names = {f"t{i}-value": "x.Same" for i in range(5)} | {"x.Same": "x.Same"}
    assert allocate_paths(names) == allocate_paths(dict(reversed(list(names.items()))))
