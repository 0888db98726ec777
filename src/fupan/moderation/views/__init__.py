"""Report and appeal pages. Each view parses, loads through ``access_*``, checks with
``check_*``, calls one action and renders; the same URL answers htmx (a fragment or an
``HX-Redirect``) and plain requests (a page or a redirect), so everything works without JavaScript.

- ``reports``: 举报 a post or a member, 信息举报, and a member's own reports (``/report/…``).
- ``queue``: the moderators' report queue (``/mod/reports/…``).
- ``appeals``: 用户申诉 for members (``/appeals/…``) and the moderators' side (``/mod/appeals/…``).
"""
