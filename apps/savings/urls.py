from django.urls import path

from . import views

app_name = "savings"

urlpatterns = [
    path("", views.TrackerView.as_view(), name="tracker"),
    path("export/", views.tracker_export, name="tracker_export"),
    path("mine/", views.MySavingsView.as_view(), name="my_savings"),
    path("lines/<str:reference>/", views.line_detail, name="line_detail"),
    path("lines/<str:reference>/update/", views.LineUpdateView.as_view(), name="line_update"),
    path("lines/<str:reference>/rephase/", views.LineRephaseView.as_view(), name="line_rephase"),
]
