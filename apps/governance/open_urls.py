"""The committee's public pages at /open/: no sign-in (see public.py)."""

from django.urls import path, re_path

from . import public

app_name = "open"

urlpatterns = [
    path("", public.index, name="index"),
    path("meetings/", public.meeting_list, name="meeting_list"),
    path("meetings.ics", public.calendar, name="calendar"),
    path("meetings/<int:pk>/", public.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/pack.pdf", public.pack_download, name="pack_download"),
    path("papers/<int:pk>/", public.paper_download, name="paper_download"),
    path("decisions/", public.decision_list, name="decision_list"),
    path("figures/", public.figures, name="figures"),
    re_path(r"^figures/(?P<period>\d{4}-\d{2})/$", public.figures, name="figures_month"),
    path("data/", public.data, name="data"),
    path("data/kpis.csv", public.kpis_csv, name="kpis_csv"),
    path("data/kpis.json", public.kpis_json, name="kpis_json"),
]
