"""Discuz code (BBCode) -> safe HTML, smilies and the jammer; pure functions, no models."""

from .bbcode import (
    ATTACH_MARKER_RE,
    RENDERER_VERSION,
    MarkupOptions,
    attachment_ids,
    plain_text,
    render_bbcode,
    substitute_attachments,
)
from .jammer import apply_jammer
from .smilies import SMILIES, Smiley

__all__ = [
    "ATTACH_MARKER_RE",
    "RENDERER_VERSION",
    "SMILIES",
    "MarkupOptions",
    "Smiley",
    "apply_jammer",
    "attachment_ids",
    "plain_text",
    "render_bbcode",
    "substitute_attachments",
]
