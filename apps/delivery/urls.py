from django.urls import path

from . import views

app_name = "delivery"

urlpatterns = [
    path("", views.PlanView.as_view(), name="plan_current"),
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("<year:year>/", views.PlanView.as_view(), name="plan_detail"),
    path("<year:year>/roll-forward/", views.PlanRollForwardView.as_view(), name="plan_roll_forward"),
    path("<year:year>/publish/", views.PlanPublishView.as_view(), name="plan_publish"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/update/", views.ActivityUpdateCreateView.as_view(), name="activity_update"),
    path("activities/<int:pk>/edit/", views.ActivityChangeView.as_view(), name="activity_change"),
]
