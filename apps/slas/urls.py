from django.urls import path

from . import views

app_name = "slas"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("<int:pk>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("<int:pk>/review/", views.agreement_start_review, name="agreement_start_review"),
    path("new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("<int:pk>/schedules/new/", views.ScheduleCreateView.as_view(), name="schedule_create"),
    path("<int:pk>/standards/new/", views.StandardCreateView.as_view(), name="standard_create"),
    path("<int:pk>/obligations/new/", views.ObligationCreateView.as_view(), name="obligation_create"),
]
