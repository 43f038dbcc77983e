from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.PartnerListView.as_view(), name="partner_list"),
    path("new/", views.PartnerCreateView.as_view(), name="partner_create"),
    path("<slug:slug>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("<slug:slug>/edit/", views.PartnerUpdateView.as_view(), name="partner_update"),
    path("<slug:slug>/contacts/new/", views.ContactFormView.as_view(), name="contact_create"),
    path("<slug:slug>/contacts/<int:pk>/edit/", views.ContactFormView.as_view(), name="contact_update"),
]
