from django.urls import path, re_path

from . import views

app_name = "reports"

MONTH = r"(?P<period>\d{4}-\d{2})"
SCOPE = r"(?P<scope>[-a-z0-9]+)"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("generate/", views.ReportGenerateView.as_view(), name="report_generate"),
    path("packs/", views.PackListView.as_view(), name="pack_list"),
    path("packs/build/", views.PackRequestView.as_view(), name="pack_request"),
    re_path(rf"^packs/{MONTH}/(?P<kind>pdf|xlsx)/$", views.pack_download, name="pack_download"),
    re_path(rf"^{MONTH}/$", views.report_month, name="report_month"),
    re_path(rf"^{MONTH}/publish/$", views.month_publish, name="month_publish"),
    re_path(rf"^{MONTH}/revise/$", views.month_revise, name="month_revise"),
    re_path(rf"^{MONTH}/{SCOPE}/$", views.report_detail, name="report_detail"),
    re_path(rf"^{MONTH}/{SCOPE}/regenerate/$", views.report_regenerate, name="report_regenerate"),
    re_path(rf"^{MONTH}/{SCOPE}/publish/$", views.report_publish, name="report_publish"),
    re_path(rf"^{MONTH}/{SCOPE}/revise/$", views.report_revise, name="report_revise"),
]
