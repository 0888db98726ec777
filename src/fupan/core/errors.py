"""Typed errors raised by ``check_*`` functions and actions, with stable codes for the API.

A view turns a ``FupanError`` into a form error (keeping what the user typed) or a friendly page;
the API returns ``{"code": …, "message": …}``.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    LOGIN_REQUIRED = "login_required"
    RATE_LIMITED = "rate_limited"
    DUPLICATE_SUBMISSION = "duplicate_submission"
    THREAD_CLOSED = "thread_closed"
    TITLE_EMPTY = "title_empty"
    TITLE_TOO_LONG = "title_too_long"
    BODY_EMPTY = "body_empty"
    BODY_TOO_LONG = "body_too_long"
    TYPE_REQUIRED = "type_required"
    TYPE_INVALID = "type_invalid"
    VOTES_DISABLED = "votes_disabled"
    VOTE_OWN_POST = "vote_own_post"
    VOTE_FIRST_POST = "vote_first_post"
    ALREADY_VOTED = "already_voted"
    USERNAME_INVALID = "username_invalid"
    USERNAME_TAKEN = "username_taken"
    EMAIL_TAKEN = "email_taken"
    INSUFFICIENT_CREDITS = "insufficient_credits"
    QUANTITY_INVALID = "quantity_invalid"
    ITEM_DISABLED = "item_disabled"
    NOT_FOR_SALE = "not_for_sale"
    ITEM_OUT_OF_STOCK = "item_out_of_stock"
    ITEM_NOT_OWNED = "item_not_owned"
    ITEM_NOT_APPLICABLE = "item_not_applicable"
    COLOR_INVALID = "color_invalid"
    REPORT_OWN = "report_own"
    ALREADY_REPORTED = "already_reported"
    NOT_SANCTIONED = "not_sanctioned"
    ALREADY_APPEALED = "already_appealed"
    ALREADY_DECIDED = "already_decided"
    WORD_BLOCKED = "word_blocked"
    BLOCKED = "blocked"
    BLOCK_SELF = "block_self"
    RECIPIENT_INVALID = "recipient_invalid"


class FupanError(Exception):
    """A request the rules refuse. ``field`` names the form field to attach the message to."""

    status = 400

    def __init__(
        self, code: ErrorCode, message: str, *, field: str | None = None, status: int | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return str(self.message)
