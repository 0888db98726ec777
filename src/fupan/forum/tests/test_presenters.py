"""What the presenters remember between requests: signatures by their text, file sizes."""

from __future__ import annotations

import pytest
from django.utils import translation

from fupan.forum import presenters


def test_a_signature_is_rendered_once_per_text_and_a_changed_one_anew(monkeypatch) -> None:
    from fupan.accounts import settings_views

    calls: list[str] = []
    real = settings_views.render_signature

    def counting(text: str) -> str:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(settings_views, "render_signature", counting)
    presenters._signatures.clear()
    first = presenters._signature_html("[b]涪江边的老街坊[/b]")
    again = presenters._signature_html("[b]涪江边的老街坊[/b]")
    changed = presenters._signature_html("[i]新签名[/i]")
    assert first == again and "<strong>涪江边的老街坊</strong>" in first
    assert "<i>新签名</i>" in changed
    assert calls == ["[b]涪江边的老街坊[/b]", "[i]新签名[/i]"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_remembered_file_sizes_read_as_djangos(language: str) -> None:
    from django.template.defaultfilters import filesizeformat as django_filesizeformat

    from fupan.attachments.rendering import filesizeformat

    with translation.override(language):
        for size in (0, 1, 1023, 2048, 1_500_000, 3 * 1024**3):
            assert filesizeformat(size) == django_filesizeformat(size)
            assert filesizeformat(size) == django_filesizeformat(size)
