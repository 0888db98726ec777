"""The serialized-PHP reader: round trips, Discuz's real values, and broken input that must raise
PHPSerializeError (never anything else)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupan.importers.discuz.php import PHPSerializeError, dumps, loads, loads_reporting

keys = st.one_of(st.integers(-(2**31), 2**31), st.text(max_size=12))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**62), 2**62),
    st.floats(allow_nan=False),
    st.text(max_size=30),
)
values = st.recursive(
    scalars, lambda inner: st.dictionaries(keys, inner, max_size=5), max_leaves=20
)


@given(values)
def test_what_php_serializes_reads_back_the_same(value):
    assert loads(dumps(value)) == value


@given(st.binary(max_size=60))
def test_arbitrary_bytes_raise_only_php_serialize_error(data):
    for lenient in (False, True):
        with contextlib.suppress(PHPSerializeError):
            loads(data, lenient=lenient)


@given(values, st.integers(0, 200))
def test_a_truncated_serialization_raises_php_serialize_error(value, cut):
    raw = dumps(value)
    if cut < len(raw) - 1:
        with pytest.raises(PHPSerializeError):
            loads(raw[:cut])


def test_discuz_threadtypes_setting_is_read():
    raw = (
        'a:6:{s:6:"status";i:1;s:8:"required";b:1;s:8:"listable";s:1:"1";s:6:"prefix";i:1;'
        's:5:"types";a:2:{i:1;s:12:"建言献策";i:2;s:6:"灌水";}s:5:"icons";a:0:{}}'
    )
    value = loads(raw)
    assert value["types"] == {1: "建言献策", 2: "灌水"} and value["required"] is True


def test_a_gbk_era_byte_count_is_repaired_when_lenient():
    raw = 'a:1:{s:5:"title";s:4:"建言献策";}'  # 4 = the GBK byte count of 建言, not UTF-8's
    with pytest.raises(PHPSerializeError):
        loads(raw)
    value, repaired = loads_reporting(raw, lenient=True)
    assert value == {"title": "建言献策"} and repaired


def test_objects_come_back_as_dicts_and_references_are_refused():
    assert loads('O:8:"stdClass":1:{s:1:"a";i:1;}') == {"a": 1, "__class__": "stdClass"}
    with pytest.raises(PHPSerializeError):
        loads("a:2:{i:0;i:1;i:1;R:2;}")
    with pytest.raises(PHPSerializeError):
        loads('C:3:"Foo":0:{}')


def test_deep_nesting_is_refused():
    with pytest.raises(PHPSerializeError):
        loads("a:1:{i:0;" * 100 + "N;" + "}" * 100)
