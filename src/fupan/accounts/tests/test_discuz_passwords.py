"""Members imported from Discuz keep their passwords; the first login re-hashes them with argon2."""

from __future__ import annotations

import hashlib

import bcrypt
import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, is_password_usable

from fupan.accounts.hashers import (
    DiscuzBcryptPasswordHasher,
    DiscuzMD5PasswordHasher,
    discuz_password_field,
)
from fupan.accounts.models import User

PASSWORD = "老密码-flow2009"


def ucenter_md5(password: str, salt: str, *, encoding: str = "utf-8") -> str:
    """What UCenter stored before X3.5: md5(md5(password) . salt)."""
    inner = hashlib.md5(password.encode(encoding)).hexdigest()
    return hashlib.md5((inner + salt).encode()).hexdigest()


def php_bcrypt(password: str, *, encoding: str = "utf-8") -> str:
    """What X3.5's password_hash(…, PASSWORD_BCRYPT) stores: a ``$2y$`` hash (cost 4 here)."""
    hashed = bcrypt.hashpw(password.encode(encoding), bcrypt.gensalt(rounds=4)).decode()
    return "$2y$" + hashed[4:]


@pytest.fixture
def argon2_first(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "fupan.accounts.hashers.DiscuzMD5PasswordHasher",
        "fupan.accounts.hashers.DiscuzBcryptPasswordHasher",
    ]


@pytest.fixture
def legacy_member(user_factory):
    """``legacy_member("md5")`` or ``legacy_member("bcrypt")``: a member as the importer leaves them."""

    def make(kind: str, *, username: str = "老会员", password: str = PASSWORD) -> User:
        user = user_factory(username)
        if kind == "md5":
            stored = discuz_password_field(ucenter_md5(password, "a1b2c3"), "a1b2c3")
        else:
            stored = discuz_password_field(php_bcrypt(password), "")
        User.objects.filter(pk=user.pk).update(password=stored)
        user.refresh_from_db()
        return user

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["md5", "bcrypt"])
def test_discuz_member_logs_in_with_the_old_password_and_gets_argon2(
    kind, guest_client, legacy_member, argon2_first
):
    user = legacy_member(kind)
    assert user.password.startswith(f"discuz_{kind}$")
    response = guest_client.post("/login/", {"login": "老会员", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert check_password(PASSWORD, user.password)
    # The new hash works for the next login too.
    guest_client.post("/logout/")
    assert (
        guest_client.post("/login/", {"login": "老会员", "password": PASSWORD}).status_code == 302
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["md5", "bcrypt"])
def test_wrong_password_is_refused_and_the_legacy_hash_is_kept(
    kind, guest_client, legacy_member, argon2_first
):
    user = legacy_member(kind)
    before = user.password
    response = guest_client.post("/login/", {"login": "老会员", "password": PASSWORD + "x"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.password == before


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["md5", "bcrypt"])
def test_login_rate_limit_still_applies_to_discuz_members(
    kind, guest_client, legacy_member, argon2_first
):
    user = legacy_member(kind)
    before = user.password
    for _ in range(5):
        guest_client.post("/login/", {"login": "老会员", "password": "wrong"})
    response = guest_client.post("/login/", {"login": "老会员", "password": PASSWORD})
    assert response.status_code == 400  # even the right password waits
    user.refresh_from_db()
    assert user.password == before


def test_md5_hasher_matches_ucenter():
    stored = discuz_password_field(ucenter_md5("123456", "Ab$9zQ"), "Ab$9zQ")
    assert stored == f"discuz_md5$Ab$9zQ${ucenter_md5('123456', 'Ab$9zQ')}"
    assert check_password("123456", stored)
    assert not check_password("1234567", stored)
    assert not check_password("", stored)


def test_uppercase_md5_hex_is_accepted():
    stored = discuz_password_field(ucenter_md5("pw", "abcdef").upper(), "abcdef")
    assert check_password("pw", stored)


@pytest.mark.parametrize("prefix", ["$2y$", "$2a$", "$2b$"])
def test_bcrypt_hasher_accepts_every_php_prefix(prefix):
    php = prefix + php_bcrypt("secret")[4:]
    stored = discuz_password_field(php, "")
    assert stored == f"discuz_bcrypt${php}"
    assert check_password("secret", stored)
    assert not check_password("Secret", stored)


def test_bcrypt_reads_only_the_first_72_bytes_like_php():
    long = "x" * 80
    stored = discuz_password_field(php_bcrypt(long[:72]), "")
    assert check_password(long, stored)


@pytest.mark.parametrize("hasher", ["md5", "bcrypt"])
def test_a_password_from_an_old_gbk_site_still_works(hasher):
    if hasher == "md5":
        stored = discuz_password_field(ucenter_md5("论坛密码", "gbk123", encoding="gbk"), "gbk123")
    else:
        stored = discuz_password_field(php_bcrypt("论坛密码", encoding="gbk"), "")
    assert check_password("论坛密码", stored)
    assert not check_password("论坛密玛", stored)


def test_php_argon2_hashes_become_djangos_argon2(argon2_first):
    import argon2

    php = argon2.PasswordHasher(type=argon2.Type.I, time_cost=1, memory_cost=256).hash("pw")
    assert php.startswith("$argon2i$")
    stored = discuz_password_field(php, "")
    assert stored.startswith("argon2$argon2i$")
    assert check_password("pw", stored)


@pytest.mark.parametrize(
    ("password", "salt", "reason"),
    [
        ("", "", "unknown-hash-without-salt"),
        ("e10adc3949ba59abbe56e057f20f883e", "", "unknown-hash-without-salt"),
        ("$2y$10$short", "", "unknown-hash-without-salt"),
        ("not-hex-not-hex-not-hex-not-hex!", "abcdef", "damaged-md5-hash"),
        ("e10adc3949ba59abbe56e057f20f883e", "dz2phpbb", "third-party-salt"),
        ("e10adc3949ba59abbe56e057f20f883e", "abc", "third-party-salt"),
    ],
)
def test_rows_we_cannot_verify_get_an_unusable_password_with_the_reason(password, salt, reason):
    stored = discuz_password_field(password, salt)
    assert stored == f"!discuz:{reason}"
    assert not is_password_usable(stored)
    assert not check_password("123456", stored)


def test_a_damaged_bcrypt_hash_is_refused_not_an_error():
    assert not check_password("pw", "discuz_bcrypt$$2y$10$" + "!" * 53)
    assert not check_password("pw", "discuz_bcrypt$$1$abc")


def test_hashers_follow_djangos_contract():
    for hasher in (DiscuzMD5PasswordHasher(), DiscuzBcryptPasswordHasher()):
        # A password no salt or hex digest can contain by chance ("pw" once came up in a salt).
        encoded = hasher.encode("口令", hasher.salt())
        assert identify_hasher(encoded).algorithm == hasher.algorithm
        assert hasher.verify("口令", encoded) and not hasher.verify("口今", encoded)
        assert hasher.must_update(encoded)
        summary = hasher.safe_summary(encoded)
        assert "口令" not in str(summary.values()) and len(summary) >= 3
