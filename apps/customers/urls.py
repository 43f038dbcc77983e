from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.EnquiryListView.as_view(), name="enquiry_list"),
    path("new/", views.EnquiryCreateView.as_view(), name="enquiry_create"),
    path("<int:pk>/", views.EnquiryDetailView.as_view(), name="enquiry_detail"),
    path("<int:pk>/reply/", views.EnquiryReplyView.as_view(), name="enquiry_reply"),
    path("<int:pk>/manage/", views.EnquiryManageView.as_view(), name="enquiry_manage"),
    path("<int:pk>/rate/", views.EnquiryRateView.as_view(), name="enquiry_rate"),
    path("<int:pk>/messages/<int:message_pk>/attachment/", views.message_attachment, name="message_attachment"),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback_list"),
    path("feedback/new/", views.FeedbackCreateView.as_view(), name="feedback_create"),
    path("surveys/", views.SurveyListView.as_view(), name="survey_list"),
    path("surveys/new/", views.SurveyCreateView.as_view(), name="survey_create"),
    path("surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="survey_detail"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("actions/<int:pk>/edit/", views.ActionUpdateView.as_view(), name="action_update"),
]
