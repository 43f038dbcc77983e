from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingChangeView.as_view(), name="meeting_change"),
    path("meetings/<int:pk>/publish/", views.AgendaPublishView.as_view(), name="agenda_publish"),
    path("meetings/<int:pk>/held/", views.MeetingHeldView.as_view(), name="meeting_held"),
    path("meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("meetings/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("meetings/<int:pk>/items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("meetings/<int:pk>/pack.pdf", views.pack_download, name="pack_download"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemChangeView.as_view(), name="item_change"),
    path("items/<int:pk>/move/", views.ItemMoveView.as_view(), name="item_move"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("items/<int:pk>/papers/new/", views.PaperCreateView.as_view(), name="paper_create"),
    path("items/<int:pk>/minutes/", views.MinuteView.as_view(), name="minute_record"),
    path("items/<int:pk>/decisions/new/", views.DecisionCreateView.as_view(), name="decision_create"),
    path("items/<int:pk>/approve-minutes/", views.MinutesApproveView.as_view(), name="minutes_approve"),
    path("items/<int:pk>/actions/new/", views.ActionCreateView.as_view(), name="action_create"),
    path("papers/<int:pk>/", views.paper_download, name="paper_download"),
    path("decisions/", views.DecisionListView.as_view(), name="decision_list"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/<int:pk>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/update/", views.ActionUpdateView.as_view(), name="action_update"),
]
