"""Tokens and query parsing: every CJK character is a token, latin words stay words, and no input
breaks the parser."""

from hypothesis import given
from hypothesis import strategies as st

from fupan.search.text import MAX_QUERY_CHARS, MAX_TERMS, index_text, parse_query, tokens


def test_cjk_characters_are_tokens_and_latin_words_stay_whole():
    assert tokens("支持中文吗？iPhone手机 ５Ｇ") == [
        "支",
        "持",
        "中",
        "文",
        "吗",
        "iphone",
        "手",
        "机",
        "5g",
    ]
    assert index_text("涪江大桥 Bridge-2") == "涪 江 大 桥 bridge 2"


def test_queries_are_phrases_split_on_spaces_and_grouped_by_quotes():
    q = parse_query('停水  "涪江 大桥"  ')
    assert q.terms == (("停", "水"), ("涪", "江", "大", "桥"))
    assert q.words == ["停水", "涪江大桥"]
    assert parse_query("iPhone 15手机").words == ["iphone", "15手机"]


def test_operators_and_sql_carry_no_meaning():
    q = parse_query("中文 OR 1=1; DROP TABLE posts -- NEAR(a b) * ^")
    assert ("中", "文") in q.terms
    assert all(tok.isalnum() for term in q.terms for tok in term)
    assert parse_query("!!! ？？ ——").is_empty


@given(st.text(max_size=500))
def test_any_text_parses_into_safe_bounded_terms(text):
    q = parse_query(text)
    assert len(q.raw) <= MAX_QUERY_CHARS and len(q.terms) <= MAX_TERMS
    for term in q.terms:
        assert term and all(tok and '"' not in tok and "'" not in tok for tok in term)
        assert all(not ch.isspace() for tok in term for ch in tok)


def test_bigrams_pair_neighbouring_characters_only():
    from fupan.search.text import bigram_text

    assert bigram_text("涪 江 大 桥") == "涪江 江大 大桥"
    assert bigram_text("涪 江 a 大 桥 5g 修") == "涪江 a 大桥 5g"
