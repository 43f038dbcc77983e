from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("", views.KPIListView.as_view(), name="kpi_list"),
    path("entry/", views.EntryGridView.as_view(), name="entry_grid"),
    path("approvals/", views.ApprovalQueueView.as_view(), name="approval_queue"),
    path("returns/", views.ReturnsView.as_view(), name="my_returns"),
    path("scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path("import/", views.MeasurementImportView.as_view(), name="measurement_import"),
    path("import/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("measurements/<int:pk>/", views.MeasurementDetailView.as_view(), name="measurement_detail"),
    path("measurements/<int:pk>/decide/", views.measurement_decide, name="measurement_decide"),
    path("<str:code>/", views.KPIDetailView.as_view(), name="kpi_detail"),
    path("<str:code>/targets/new/", views.TargetCreateView.as_view(), name="target_create"),
]
