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


def test_trigrams_take_three_neighbouring_characters():
    from fupan.search.text import trigram_text

    assert trigram_text("老 城 区 的 路") == "老城区 城区的 区的路"
    assert trigram_text("老 城 a 大 桥 修 5g 路") == "a 大桥修 5g"


def _contains(tokens: list[str], word: list[str]) -> bool:
    return any(tokens[i : i + len(word)] == word for i in range(len(tokens) - len(word) + 1))


@given(
    st.lists(st.sampled_from(["老", "城", "区", "a", "9"]), max_size=14),
    st.lists(st.sampled_from(["老", "城", "区"]), min_size=2, max_size=5),
    st.sampled_from([2, 3]),
)
def test_a_phrase_of_ngrams_is_exactly_the_word(tokens, word, n):
    """What the PostgreSQL backend relies on: a word of n or more characters occurs in a text
    exactly when its n-grams occur next to each other among the text's n-grams."""
    from fupan.search.text import ngram_text

    if len(word) < n:
        return
    grams = ngram_text(" ".join(tokens), n).split()
    wanted = ["".join(word[i : i + n]) for i in range(len(word) - n + 1)]
    assert _contains(grams, wanted) == _contains(tokens, word)
