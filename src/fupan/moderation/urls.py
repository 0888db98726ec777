from django.urls import path

from fupan.moderation.views import appeals, log, queue, reports

app_name = "moderation"
urlpatterns = [
    # 举报 and 信息举报
    path("report/", reports.site_report_view, name="report_site"),
    path("report/post/<int:post_id>/", reports.report_post_view, name="report_post"),
    path("report/user/<int:user_id>/", reports.report_member_view, name="report_member"),
    path("report/mine/", reports.my_reports_view, name="my_reports"),
    path("mod/reports/", queue.report_queue_view, name="report_queue"),
    path("mod/reports/<int:report_id>/", queue.report_detail_view, name="report"),
    # 用户申诉
    path("appeals/", appeals.appeals_view, name="appeals"),
    path("appeals/<int:appeal_id>/", appeals.appeal_view, name="appeal"),
    path("mod/appeals/", appeals.appeal_queue_view, name="appeal_queue"),
    path("mod/appeals/<int:appeal_id>/", appeals.mod_appeal_view, name="mod_appeal"),
    # 管理日志
    path("mod/log/", log.mod_log_view, name="mod_log"),
]
