from django.urls import path

from . import views

app_name = "growth"

urlpatterns = [
    path("", views.PipelineView.as_view(), name="pipeline"),
    path("new/", views.OpportunityCreateView.as_view(), name="opportunity_create"),
    path("<int:pk>/", views.OpportunityDetailView.as_view(), name="opportunity_detail"),
    path("<int:pk>/edit/", views.OpportunityChangeView.as_view(), name="opportunity_change"),
    path("<int:pk>/stage/", views.OpportunityStageView.as_view(), name="opportunity_stage"),
    path("<int:pk>/tasks/<int:task_pk>/", views.TaskDoneView.as_view(), name="task_done"),
    path("traded-income/", views.TradedIncomeView.as_view(), name="income"),
    path("traded-income/<int:pk>/", views.TradedIncomeDetailView.as_view(), name="income_detail"),
    path("traded-income/<int:pk>/actuals/", views.ActualRecordView.as_view(), name="income_actual"),
]
