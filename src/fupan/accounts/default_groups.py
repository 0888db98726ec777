"""Discuz! X3.5's default user groups (install_data.sql; FACTS.md §6.1)."""

from __future__ import annotations

from typing import Any

# id, title, kind, admin_role, credits [higher, lower), stars, read_access, post/reply, attach/image,
# max_sig_size, max_attach_size
_ROWS: list[tuple[Any, ...]] = [
    (1, "管理员", "system", 1, 0, 0, 9, 200, True, True, 500, 2048000),
    (2, "超级版主", "system", 2, 0, 0, 8, 150, True, True, 300, 2048000),
    (3, "版主", "system", 3, 0, 0, 7, 100, True, True, 200, 2048000),
    (4, "禁止发言", "system", 0, 0, 0, 0, 0, False, False, 0, 0),
    (5, "禁止访问", "system", 0, 0, 0, 0, 0, False, False, 0, 0),
    (6, "禁止 IP", "system", 0, 0, 0, 0, 0, False, False, 0, 0),
    (7, "游客", "system", 0, 0, 0, 0, 1, False, False, 0, 0),
    (8, "等待验证会员", "system", 0, 0, 0, 0, 0, False, False, 50, 0),
    (9, "限制会员", "member", 0, -9999999, 0, 0, 0, False, False, 0, 0),
    (10, "新手上路", "member", 0, 0, 50, 1, 10, True, True, 80, 1024000),
    (11, "注册会员", "member", 0, 50, 200, 2, 20, True, True, 100, 1024000),
    (12, "中级会员", "member", 0, 200, 500, 3, 30, True, True, 150, 1024000),
    (13, "高级会员", "member", 0, 500, 1000, 4, 50, True, True, 200, 2048000),
    (14, "金牌会员", "member", 0, 1000, 3000, 6, 70, True, True, 300, 2048000),
    (15, "论坛元老", "member", 0, 3000, 9999999, 8, 90, True, True, 500, 2048000),
    (16, "实习版主", "special", 3, 0, 0, 7, 100, True, True, 200, 2048000),
    (17, "网站编辑", "special", 2, 0, 0, 8, 150, True, True, 300, 2048000),
    (18, "信息监察员", "special", 1, 0, 0, 9, 200, True, True, 500, 0),
    (19, "审核员", "special", 3, 0, 0, 7, 100, True, True, 200, 2048000),
]
GROUP_COLORS = {1: "#FF0000", 2: "#0000FF", 3: "#009900"}


def default_groups() -> list[dict[str, Any]]:
    rows = []
    for gid, title, kind, role, higher, lower, stars, read, post, attach, sig, size in _ROWS:
        rows.append(
            {
                "id": gid,
                "title": title,
                "kind": kind,
                "admin_role": role,
                "credits_higher": higher,
                "credits_lower": lower,
                "stars": stars,
                "color": GROUP_COLORS.get(gid, ""),
                "read_access": read,
                "allow_visit": gid not in (5, 6),
                "allow_post": post,
                "allow_reply": post,
                "allow_vote": post,
                "allow_get_attach": attach,
                "allow_get_image": attach,
                "allow_post_attach": post,
                "allow_post_image": post,
                "allow_search": gid not in (4, 5, 6),
                "max_sig_size": sig,
                "max_attach_size": size,
            }
        )
    return rows


def ensure_default_groups(group_model: Any = None) -> None:
    """Create any of Discuz's default groups that is missing (used by the data migration, and by
    tests whose database was emptied by a transactional test)."""
    if group_model is None:
        from fupan.accounts.models import UserGroup as group_model
    # Only the fields this (possibly historical, in a migration) model has.
    fields = {f.name for f in group_model._meta.concrete_fields}
    existing = set(group_model.objects.values_list("id", flat=True))
    group_model.objects.bulk_create(
        [
            group_model(**{k: v for k, v in row.items() if k in fields})
            for row in default_groups()
            if row["id"] not in existing
        ]
    )
