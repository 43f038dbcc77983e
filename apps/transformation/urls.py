from django.urls import path

from . import views

app_name = "transformation"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectChangeView.as_view(), name="project_change"),
    path("<int:pk>/stage/", views.ProjectStageView.as_view(), name="project_stage"),
    path("<int:pk>/update/", views.ProjectUpdateCreateView.as_view(), name="project_update"),
]
