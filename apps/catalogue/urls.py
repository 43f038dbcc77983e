from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.ServiceListView.as_view(), name="service_list"),
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("areas/<str:code>/", views.AreaDetailView.as_view(), name="area_detail"),
    path("subscriptions/", views.SubscriptionListView.as_view(), name="subscription_list"),
    path("subscriptions/new/", views.SubscriptionCreateView.as_view(), name="subscription_create"),
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request_create"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path(
        "requests/<int:pk>/<str:decision>/",
        views.request_decide,
        name="request_decide",
    ),
    path("cost-shares/", views.CostShareListView.as_view(), name="cost_share_list"),
    path("cost-shares/<str:code>/<year:year>/", views.CostShareEditView.as_view(), name="cost_share_edit"),
    path("<slug:slug>/", views.ServiceDetailView.as_view(), name="service_detail"),
]
