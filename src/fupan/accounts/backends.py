from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from fupan.accounts.models import User, username_key
from fupan.core.prepared import Prepared


class UsernameOrEmailBackend(ModelBackend):
    """Log in with a username (case and width ignored, like Discuz) or an email address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        login = username.strip()
        user = User.objects.select_related("group").filter(username_key=username_key(login)).first()
        if user is None and "@" in login:
            matches = list(User.objects.filter(email__iexact=login)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: int) -> User | None:
        try:
            found = _member_by_id(int(user_id))
        except (TypeError, ValueError, OverflowError):
            return None
        user = found[0] if found else None
        return user if user and self.user_can_authenticate(user) else None


# Every member's request loads its member: the SQL is prepared once (fupan.core.prepared).
_member_by_id = Prepared(lambda pk: User.objects.select_related("group").filter(pk=pk)[:1])
