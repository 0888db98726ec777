"""Password hashers for accounts moved from Discuz! X3.5, so members keep their passwords.

UCenter (``pre_ucenter_members``) stores one of two forms (FACTS.md §2.2):

- legacy (X3.4 and older): ``password = md5(md5(plain) . salt)`` with a 6-character ``salt``;
- X3.5: ``password = password_hash(plain, PASSWORD_BCRYPT)`` (``$2y$10$…``) with ``salt = ''``.

The importer turns a row into Django's stored value with :func:`discuz_password_field`. Both
hashers answer ``must_update`` → True and neither is first in ``PASSWORD_HASHERS``, so Django
re-hashes the password with argon2 at the member's first successful login; nothing ever creates
a new legacy hash (``encode`` exists for tests and for Django's own hasher contract).

PHP hashes the bytes it was given: on a UTF-8 site that is UTF-8, on an old GBK site it was GBK.
A non-ASCII password is therefore also tried in GB18030 (a superset of GBK that encodes every
GBK character the same way).
"""

from __future__ import annotations

import hashlib
import secrets
import string
from typing import Any

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

BCRYPT_PREFIXES = ("$2y$", "$2a$", "$2b$")
# PHP's crypt() reads at most 72 bytes of a bcrypt password; the bcrypt package refuses more.
BCRYPT_MAX_BYTES = 72
_HEX = frozenset("0123456789abcdef")


def _password_bytes(password: str) -> list[bytes]:
    """The byte strings PHP may have hashed for this password: UTF-8, then GB18030 if different."""
    forms = [password.encode("utf-8", "surrogatepass")]
    try:
        legacy = password.encode("gb18030")
    except UnicodeEncodeError:
        return forms
    if legacy != forms[0]:
        forms.append(legacy)
    return forms


def _discuz_md5(password: bytes, salt: bytes) -> str:
    inner = hashlib.md5(password, usedforsecurity=False).hexdigest().encode("ascii")
    return hashlib.md5(inner + salt, usedforsecurity=False).hexdigest()


class DiscuzMD5PasswordHasher(BasePasswordHasher):
    """UCenter's legacy ``md5(md5(password) . salt)``, stored as ``discuz_md5$<salt>$<32 hex>``."""

    algorithm = "discuz_md5"

    def salt(self) -> str:
        return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(6))

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        digest = _discuz_md5(password.encode("utf-8"), salt.encode("utf-8"))
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict[str, Any]:
        algorithm, rest = encoded.split("$", 1)
        assert algorithm == self.algorithm
        # The hash is the last field; a salt is free text and may itself hold a "$".
        salt, digest = rest.rsplit("$", 1)
        return {"algorithm": algorithm, "salt": salt, "hash": digest}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        salt = decoded["salt"].encode("utf-8")
        matched = False
        for candidate in _password_bytes(password):
            # Every form is compared (no early exit) so the time does not depend on which matched.
            matched |= constant_time_compare(_discuz_md5(candidate, salt), decoded["hash"])
        return matched

    def safe_summary(self, encoded: str) -> dict[str, Any]:
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"], show=2),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass  # a legacy hash is replaced at the first login; nothing to equalise


class DiscuzBcryptPasswordHasher(BasePasswordHasher):
    """X3.5's ``password_hash(…, PASSWORD_BCRYPT)``, stored as ``discuz_bcrypt$$2y$10$…``."""

    algorithm = "discuz_bcrypt"
    library = ("bcrypt", "bcrypt")
    rounds = 10  # PHP's default cost

    def salt(self) -> str:
        bcrypt = self._load_library()
        return str(bcrypt.gensalt(self.rounds).decode("ascii"))

    def encode(self, password: str, salt: str) -> str:
        """A PHP-style ``$2y$`` hash; ``salt`` is a bcrypt salt (``$2b$10$`` + 22 characters)."""
        bcrypt = self._load_library()
        data = bcrypt.hashpw(password.encode("utf-8")[:BCRYPT_MAX_BYTES], salt.encode("ascii"))
        return f"{self.algorithm}$$2y${data.decode('ascii')[4:]}"

    def decode(self, encoded: str) -> dict[str, Any]:
        algorithm, data = encoded.split("$", 1)
        assert algorithm == self.algorithm
        _empty, variant, cost, rest = data.split("$", 3)
        return {
            "algorithm": algorithm,
            "variant": variant,
            "work_factor": int(cost),
            "salt": rest[:22],
            "checksum": rest[22:],
        }

    def verify(self, password: str, encoded: str) -> bool:
        bcrypt = self._load_library()
        algorithm, data = encoded.split("$", 1)
        assert algorithm == self.algorithm
        if not data.startswith(BCRYPT_PREFIXES):
            return False
        stored = data.encode("ascii", "replace")
        matched = False
        for candidate in _password_bytes(password):
            try:
                # checkpw compares in constant time.
                matched |= bool(bcrypt.checkpw(candidate[:BCRYPT_MAX_BYTES], stored))
            except ValueError:  # a malformed stored hash
                return False
        return matched

    def safe_summary(self, encoded: str) -> dict[str, Any]:
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("work factor"): decoded["work_factor"],
            _("salt"): mask_hash(decoded["salt"]),
            _("checksum"): mask_hash(decoded["checksum"]),
        }

    def must_update(self, encoded: str) -> bool:
        return True

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass


def discuz_password_field(password: str, salt: str) -> str:
    """Django's stored password for a ``pre_ucenter_members`` row's ``(password, salt)``.

    - ``salt`` empty and a PHP bcrypt hash (``$2y$``/``$2a$``/``$2b$``) → ``discuz_bcrypt$…``;
    - ``salt`` empty and a PHP argon2 hash (UCenter's ``passwordalgo`` set to ``PASSWORD_ARGON2I``
      or ``…ID``) → Django's own ``argon2$…`` form, which verifies it unchanged;
    - ``salt`` of 6 bytes and 32 hex digits → ``discuz_md5$<salt>$<hash>``;
    - anything else (a third-party converter's salt of 7–19 bytes, an empty or damaged hash) → an
      unusable password: ``!discuz:<reason>``. Such a member signs in again through "forgot
      password"; the reason stays in the column for the administrator.

    ``pre_common_member.password`` is a random token, not a hash: never pass it here.
    """
    password = (password or "").strip()
    salt = salt or ""
    if not salt:
        if password.startswith(BCRYPT_PREFIXES) and len(password) == 60:
            return f"{DiscuzBcryptPasswordHasher.algorithm}${password}"
        if password.startswith(("$argon2i$", "$argon2id$")):
            return f"argon2{password}"
        return "!discuz:unknown-hash-without-salt"
    if len(salt.encode("utf-8")) == 6:
        digest = password.lower()
        if len(digest) == 32 and set(digest) <= _HEX:
            return f"{DiscuzMD5PasswordHasher.algorithm}${salt}${digest}"
        return "!discuz:damaged-md5-hash"
    return "!discuz:third-party-salt"
