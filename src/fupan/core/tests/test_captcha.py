import io

import pytest
from django import forms
from PIL import Image

from fupan.core.actions import do_update_site_settings
from fupan.core.captcha import check_answer, image_text, new_challenge, render_png
from fupan.core.forms import CaptchaMixin
from fupan.core.models import CaptchaQuestion


def test_the_right_answer_passes_once_in_any_case():
    challenge = new_challenge()
    answer = image_text(challenge.token)
    assert answer and len(answer) == 4
    assert check_answer(challenge.token, answer.lower())
    assert not check_answer(challenge.token, answer)  # used up


def test_a_wrong_answer_burns_the_challenge():
    challenge = new_challenge()
    answer = image_text(challenge.token)
    assert not check_answer(challenge.token, "????")
    assert not check_answer(challenge.token, answer)


def test_missing_or_unknown_tokens_fail():
    assert not check_answer(None, "x") and not check_answer("nope", "x")


def test_question_answers_ignore_width_case_and_spaces():
    challenge = new_challenge(question=("本站所在城市？", "遂宁"))
    assert challenge.question == "本站所在城市？"
    assert check_answer(challenge.token, " 遂 宁 ")


def test_the_image_is_a_png_of_the_right_size_and_differs_per_draw():
    first, second = render_png("AC34", seed=1), render_png("AC34", seed=2)
    with Image.open(io.BytesIO(first)) as img:
        assert img.format == "PNG" and img.size == (150, 56)
    assert first != second


@pytest.mark.django_db
def test_the_image_url_serves_the_challenge_and_404s_when_expired(guest_client):
    challenge = new_challenge()
    response = guest_client.get(f"/captcha/{challenge.token}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "no-store"
    check_answer(challenge.token, "x")
    assert guest_client.get(f"/captcha/{challenge.token}.png").status_code == 404


class _Form(CaptchaMixin):
    name = forms.CharField()


@pytest.mark.django_db
def test_a_form_with_the_captcha_checks_it(site):
    form = _Form().with_captcha()
    answer = image_text(form.challenge.token)
    assert _Form({"name": "a", "captcha_token": form.challenge.token, "captcha": answer}).is_valid()
    bad = _Form({"name": "a", "captcha_token": new_challenge().token, "captcha": "ZZZZ"})
    assert not bad.is_valid() and "captcha" in bad.errors


@pytest.mark.django_db
def test_the_site_may_ask_its_own_questions(site):
    CaptchaQuestion.objects.create(question="涪江流经哪座城市？", answer="遂宁")
    do_update_site_settings(acting_user=None, captcha_use_questions=True)
    form = _Form().with_captcha()
    assert form.challenge.question == "涪江流经哪座城市？"
