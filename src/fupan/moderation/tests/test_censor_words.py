"""The sensitive-word list (词语过滤): bulk import in our format and Discuz's, one cached filter per
process rebuilt after every change, and the admin pages that manage it."""

from __future__ import annotations

import random

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from fupan.core.errors import ErrorCode, FupanError
from fupan.moderation import queries
from fupan.moderation.actions import (
    check_censor_word_find,
    do_add_censor_words,
    do_delete_censor_words,
    do_save_censor_word,
)
from fupan.moderation.models import CensorWord
from fupan.moderation.queries import (
    WORD_FILTER_VERSION_KEY,
    apply_word_filter,
    get_word_filter,
    purge_word_filter,
)

pytestmark = pytest.mark.django_db


def words() -> dict[str, tuple[str, str]]:
    return {w.find: (w.action, w.replacement) for w in CensorWord.objects.all()}


# Import ---------------------------------------------------------------------------------------


def test_import_takes_one_word_a_line_with_the_chosen_action(admin_user):
    result = do_add_censor_words(
        "代开发票\n  办证  \n\n六合彩\n", acting_user=admin_user, action="block", replacement=""
    )
    assert (result.added, result.updated, result.skipped) == (3, 0, 0)
    assert words() == {"代开发票": ("block", ""), "办证": ("block", ""), "六合彩": ("block", "")}
    assert CensorWord.objects.get(find="办证").created_by == admin_user


def test_import_reads_discuzs_export_format(admin_user):
    lines = [
        "\ufeff法轮功={BANNED}",  # a file saved with a byte-order mark
        "刷单={MOD}",
        "傻逼=**",
        "尼玛=你妈",
        "草泥马=",  # no replacement: the page's action
        "/fa.?lun/={banned}",
        "/a=b/",  # a regular expression may contain "="
        "代{2}开",
    ]
    result = do_add_censor_words(lines, acting_user=admin_user, action="review", replacement="**")
    assert result.added == 8
    assert words() == {
        "法轮功": ("block", ""),
        "刷单": ("review", ""),
        "傻逼": ("replace", "**"),
        "尼玛": ("replace", "你妈"),
        "草泥马": ("review", ""),
        "/fa.?lun/": ("block", ""),
        "/a=b/": ("review", ""),
        "代{2}开": ("review", ""),
    }


def test_import_skips_repeated_and_unchanged_words_and_updates_changed_ones(admin_user):
    do_add_censor_words(["广告", "赌博=**"], acting_user=admin_user)
    result = do_add_censor_words(
        ["广告", "广告", "赌博={BANNED}", "新词", "", "   "], acting_user=admin_user
    )
    # 广告 is listed already as it is (skipped) and repeated (skipped); blank lines do not count.
    assert (result.added, result.updated, result.skipped) == (1, 1, 2)
    assert words()["赌博"] == ("block", "")
    assert CensorWord.objects.count() == 3


def test_import_skips_lines_the_filter_could_not_use(admin_user):
    result = do_add_censor_words(["!!!", "/[unclosed/", "x" * 300, "好词"], acting_user=admin_user)
    assert (result.added, result.skipped) == (1, 3)
    assert list(words()) == ["好词"]


def test_an_import_of_twelve_thousand_words_goes_in_batches(
    admin_user, django_assert_max_num_queries
):
    rng = random.Random(7)
    chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"
    lines = {"".join(rng.choice(chars) for _ in range(rng.randint(2, 4))) for _ in range(12500)}
    lines = sorted(lines)[:12000]
    # One read, then inserts in batches (SQLite takes 999 parameters a statement: ~200 rows).
    with django_assert_max_num_queries(80):
        result = do_add_censor_words(lines, acting_user=admin_user)
    assert result.added == 12000 and get_word_filter().size == 12000


def test_an_unknown_action_is_refused():
    with pytest.raises(FupanError) as caught:
        do_add_censor_words(["词"], acting_user=None, action="shout")
    assert caught.value.field == "action"


def test_a_word_needs_a_letter_or_digit_and_a_pattern_must_compile():
    assert check_censor_word_find(" 法 轮 ") == "法 轮"
    for bad in ("", "!?", "/(/"):
        with pytest.raises(FupanError):
            check_censor_word_find(bad)


# The cached filter -----------------------------------------------------------------------------


def test_the_filter_is_rebuilt_after_words_are_added_changed_or_deleted(admin_user):
    assert apply_word_filter("买六合彩", what="body") == ("买六合彩", False)
    do_add_censor_words(["六合彩"], acting_user=admin_user)
    assert apply_word_filter("买六合彩", what="body") == ("买**", False)

    word = CensorWord.objects.get(find="六合彩")
    word.action = CensorWord.Action.REVIEW
    do_save_censor_word(word, acting_user=admin_user)
    assert apply_word_filter("买六合彩", what="body") == ("买六合彩", True)

    do_save_censor_word(CensorWord(find="彩票", action="block"), acting_user=admin_user)
    with pytest.raises(FupanError) as caught:
        apply_word_filter("买彩票", what="body")
    assert caught.value.code == ErrorCode.WORD_BLOCKED and "彩票" in caught.value.message

    do_delete_censor_words(CensorWord.objects.values_list("pk", flat=True), acting_user=None)
    assert apply_word_filter("买六合彩和彩票", what="body") == ("买六合彩和彩票", False)


def test_the_filter_costs_no_query_on_a_warm_cache(admin_user, django_assert_num_queries):
    do_add_censor_words(["六合彩"], acting_user=admin_user)
    get_word_filter()
    with django_assert_num_queries(0):
        for _ in range(3):
            assert apply_word_filter("六合彩", what="title") == ("**", False)


def test_every_process_rebuilds_when_another_one_bumps_the_version(
    admin_user, django_assert_num_queries
):
    do_add_censor_words(["六合彩"], acting_user=admin_user)
    built = get_word_filter()
    # Another worker changed the list: its purge reaches this process through the cache only.
    CensorWord.objects.create(find="彩票")
    assert get_word_filter() is built
    purge_word_filter()
    with django_assert_num_queries(1):
        rebuilt = get_word_filter()
    assert rebuilt is not built and rebuilt.size == 2
    assert get_word_filter() is rebuilt


def test_a_lost_version_is_not_trusted(admin_user):
    do_add_censor_words(["六合彩"], acting_user=admin_user)
    built = get_word_filter()
    cache.delete(WORD_FILTER_VERSION_KEY)  # evicted, or the cache restarted
    assert get_word_filter() is not built
    assert cache.get(WORD_FILTER_VERSION_KEY) == queries._memo[0]


# The admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/moderation/censorword/",
        "/admin/moderation/censorword/add/",
        "/admin/moderation/censorword/import/",
        "/admin/moderation/censorword/?q=六合&action__exact=block",
    ],
)
def test_admin_word_pages_open_for_administrators(admin_client, url):
    do_add_censor_words(["六合彩=彩"], acting_user=None)
    assert admin_client.get(url).status_code == 200


def test_members_cannot_open_the_import_page(member_client):
    assert member_client.get("/admin/moderation/censorword/import/").status_code == 302


def test_admin_imports_a_pasted_list_and_a_gbk_file(admin_client):
    upload = SimpleUploadedFile("words.txt", "刷单={MOD}\n办证\n".encode("gbk"))
    response = admin_client.post(
        "/admin/moderation/censorword/import/",
        {
            "words": "代开发票\n六合彩={BANNED}",
            "file": upload,
            "action": "replace",
            "replacement": "##",
        },
    )
    assert response.status_code == 302
    assert words() == {
        "代开发票": ("replace", "##"),
        "六合彩": ("block", ""),
        "刷单": ("review", ""),
        "办证": ("replace", "##"),
    }
    assert apply_word_filter("办证", what="body") == ("##", False)
    page = admin_client.get(response["Location"]).content.decode()
    assert "4" in page and "代开发票" in page


def test_admin_import_without_words_says_so(admin_client):
    response = admin_client.post(
        "/admin/moderation/censorword/import/", {"words": "\n", "action": "replace"}
    )
    assert response.status_code == 400 and not CensorWord.objects.exists()


def test_admin_export_is_read_back_by_the_import(admin_client):
    do_add_censor_words(["甲=乙", "丙={BANNED}", "丁={MOD}"], acting_user=None)
    exported = admin_client.get("/admin/moderation/censorword/export/").content.decode()
    assert exported.splitlines() == ["丁={MOD}", "丙={BANNED}", "甲=乙"]
    CensorWord.objects.all().delete()
    assert do_add_censor_words(exported, acting_user=None).added == 3
    assert words() == {"甲": ("replace", "乙"), "丙": ("block", ""), "丁": ("review", "")}


def test_admin_add_change_and_delete_take_effect_at_once(admin_client):
    response = admin_client.post(
        "/admin/moderation/censorword/add/",
        {"find": "六合彩", "action": "replace", "replacement": "***"},
    )
    assert response.status_code == 302
    assert apply_word_filter("六合彩", what="body") == ("***", False)
    word = CensorWord.objects.get()
    admin_client.post(
        f"/admin/moderation/censorword/{word.pk}/change/",
        {"find": "六合彩", "action": "review", "replacement": ""},
    )
    assert apply_word_filter("六合彩", what="body") == ("六合彩", True)
    admin_client.post(
        "/admin/moderation/censorword/",
        {"action": "delete_selected", "_selected_action": [word.pk], "post": "yes"},
    )
    assert not CensorWord.objects.exists()
    assert apply_word_filter("六合彩", what="body") == ("六合彩", False)


def test_admin_refuses_a_word_the_filter_could_not_use(admin_client):
    response = admin_client.post(
        "/admin/moderation/censorword/add/", {"find": "!!", "action": "replace", "replacement": ""}
    )
    assert response.status_code == 200 and not CensorWord.objects.exists()
