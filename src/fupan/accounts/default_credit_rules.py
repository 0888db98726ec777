"""Discuz X3.5's default credit rules (``install_data.sql``, ``pre_common_credit_rule``).

Ids are Discuz's ``rid`` (13, 26 and 27 are not installed by Discuz). Every default amount is in
金钱 (extcredits2)."""

from __future__ import annotations

from typing import Any

# rid, name, action, cycle (0 once, 1 daily, 2 hourly, 3 interval, 4 no cycle), reward_num, 金钱
_ROWS: list[tuple[int, str, str, int, int, int]] = [
    (1, "发表主题", "post", 4, 0, 2),
    (2, "发表回复", "reply", 4, 0, 1),
    (3, "加精华", "digest", 4, 0, 5),
    (4, "上传附件", "postattach", 4, 0, 0),
    (5, "下载附件", "getattach", 4, 0, 0),
    (6, "发短消息", "sendpm", 4, 0, 0),
    (7, "搜索", "search", 4, 0, 0),
    (8, "访问推广", "promotion_visit", 1, 1, 0),
    (9, "注册推广", "promotion_register", 1, 1, 0),
    (10, "成功交易", "tradefinished", 4, 0, 0),
    (11, "邮箱认证", "realemail", 0, 1, 10),
    (12, "设置头像", "setavatar", 0, 1, 5),
    (14, "热点信息", "hotinfo", 4, 0, 0),
    (15, "每天登录", "daylogin", 1, 1, 2),
    (16, "访问别人空间", "visit", 1, 10, 0),
    (17, "打招呼", "poke", 1, 10, 0),
    (18, "留言", "guestbook", 1, 20, 1),
    (19, "被留言", "getguestbook", 1, 5, 1),
    (20, "发表记录", "doing", 1, 5, 1),
    (21, "发表日志", "publishblog", 1, 3, 2),
    (22, "参与投票", "joinpoll", 1, 10, 1),
    (23, "发起分享", "createshare", 1, 3, 1),
    (24, "评论", "comment", 1, 40, 1),
    (25, "被评论", "getcomment", 1, 20, 2),
    (28, "信息表态", "click", 1, 10, 0),
    (29, "修改域名", "modifydomain", 0, 1, 0),
    (30, "文章评论", "portalcomment", 1, 40, 1),
    (31, "淘专辑被订阅", "followedcollection", 1, 3, 1),
]


def default_credit_rules() -> list[dict[str, Any]]:
    return [
        {
            "id": rid,
            "name": name,
            "action": action,
            "cycle": cycle,
            "cycle_time": 0,
            "reward_num": reward_num,
            "extcredits1": 0,
            "extcredits2": money,
            "extcredits3": 0,
        }
        for rid, name, action, cycle, reward_num, money in _ROWS
    ]


def ensure_default_credit_rules(rule_model: Any = None) -> None:
    """Create any of Discuz's default rules that is missing, by action (used by the data
    migration, and by tests whose database was emptied by a transactional test). Rules an
    administrator changed are left alone."""
    if rule_model is None:
        from fupan.accounts.models import CreditRule as rule_model
    existing_actions = set(rule_model.objects.values_list("action", flat=True))
    existing_ids = set(rule_model.objects.values_list("id", flat=True))
    missing = [row for row in default_credit_rules() if row["action"] not in existing_actions]
    for row in missing:
        if row["id"] in existing_ids:  # an administrator's own rule took this rid
            del row["id"]
    if not missing:
        return
    rule_model.objects.bulk_create([rule_model(**row) for row in missing])
    _reset_id_sequence(rule_model)


def _reset_id_sequence(model: Any) -> None:
    """PostgreSQL: rows inserted with explicit ids leave the id sequence behind; move it on so
    the next rule an administrator adds does not collide with rid 31."""
    from django.core.management.color import no_style
    from django.db import connections

    connection = connections[model.objects.db]
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
