from django.urls import path

from . import views

app_name = "risks"

urlpatterns = [
    path("", views.RiskListView.as_view(), name="risk_list"),
    path("heat-map/", views.HeatMapView.as_view(), name="heat_map"),
    path("new/", views.RiskCreateView.as_view(), name="risk_create"),
    path("<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("<int:pk>/edit/", views.RiskChangeView.as_view(), name="risk_change"),
    path("<int:pk>/assess/", views.RiskAssessView.as_view(), name="risk_assess"),
    path("<int:pk>/controls/new/", views.ControlCreateView.as_view(), name="control_create"),
    path("<int:pk>/actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("<int:pk>/actions/<int:action_pk>/", views.ActionChangeView.as_view(), name="action_change"),
]
