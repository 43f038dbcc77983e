"""Customer contact routes in the isolation matrix (see tests/isolation.py)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.customers import services
from tests.isolation import Route

from .factories import raise_enquiry


def rows(w):
    """Havering's and Newham's enquiry, feedback, survey and improvement action, made once per world."""
    if "customers" not in w:
        admin, exchequer = w["users"]["admin"], w["users"]["officer.exchequer"]
        own = raise_enquiry(
            w, subject="Havering payslips", attachment=SimpleUploadedFile("havering.txt", b"Havering notes")
        )
        other = raise_enquiry(
            w,
            "newham",
            "council_tax",
            subject="Newham council tax refund",
            details="Newham private details",
            attachment=SimpleUploadedFile("newham.txt", b"Newham notes"),
        )
        feedback = {
            name: services.feedback_log(
                user=admin,
                partner=w[name],
                service=w["services"][service],
                source="informal",
                score=4,
                comment=f"{name.title()} comment",
                received_on=dt.date(2016, 11, 1),
            )
            for name, service in (("havering", "payroll"), ("newham", "council_tax"))
        }
        surveys = {
            name: services.survey_open(
                user=admin,
                service=w["services"][service],
                title=f"{label} survey",
                opens_on=dt.date(2016, 11, 1),
                closes_on=dt.date(2099, 11, 30),
            )
            for name, service, label in (("havering", "payroll", "Payroll"), ("newham", "council_tax", "Council tax"))
        }
        actions = {
            name: services.improvement_action_save(
                user=admin,
                service=w["services"][service],
                partner=w[name],
                origin="review",
                review="Annual review",
                learnt=f"{name.title()} lesson",
                action=f"{name.title()} action",
                owner=exchequer,
                due_on=dt.date(2017, 1, 31),
            )
            for name, service in (("havering", "payroll"), ("newham", "council_tax"))
        }
        w["customers"] = {
            "own": own,
            "other": other,
            "own_message": own.messages.get(),
            "other_message": other.messages.get(),
            "feedback": feedback,
            "surveys": surveys,
            "actions": actions,
        }
    return w["customers"]


def enquiry_url(which, suffix=""):
    return lambda w: f"/enquiries/{rows(w)[which].pk}/{suffix}"


def api_url(prefix, key, which):
    def make(w):
        row = rows(w)[key][which] if isinstance(rows(w)[key], dict) else rows(w)[key]
        return f"/api/v1/{prefix}/{row.pk}/"

    return make


def api_enquiry(which, suffix=""):
    return lambda w: f"/api/v1/enquiries/{rows(w)[which].pk}/{suffix}"


def attachment_url(which):
    return lambda w: rows(w)[f"{which}_message"].get_attachment_url()


def listing(path, own, other):
    return Route.listing(lambda w: rows(w) and path, own=own, other=other)


PAGES = {
    "customers:enquiry_list": listing("/enquiries/", ["Havering payslips"], ["Newham council tax refund"]),
    "customers:enquiry_create": Route.page("/enquiries/new/", other=["Council Tax and Benefits"]),
    "customers:enquiry_detail": Route.detail(own=enquiry_url("own"), other=enquiry_url("other")),
    "customers:enquiry_reply": Route.detail(own=enquiry_url("own", "reply/"), other=enquiry_url("other", "reply/")),
    "customers:enquiry_rate": Route.detail(own=enquiry_url("own", "rate/"), other=enquiry_url("other", "rate/")),
    "customers:enquiry_manage": Route.denied(enquiry_url("own", "manage/")),
    "customers:message_attachment": Route.detail(own=attachment_url("own"), other=attachment_url("other")),
    "customers:feedback_list": listing("/enquiries/feedback/", ["Havering comment"], ["Newham comment"]),
    "customers:feedback_create": Route.denied("/enquiries/feedback/new/"),
    "customers:survey_list": listing("/enquiries/surveys/", ["Payroll survey"], ["Council tax survey"]),
    "customers:survey_create": Route.denied("/enquiries/surveys/new/"),
    "customers:survey_detail": Route.detail(
        own=lambda w: rows(w)["surveys"]["havering"].get_absolute_url(),
        other=lambda w: rows(w)["surveys"]["newham"].get_absolute_url(),
    ),
    "customers:action_list": listing("/enquiries/actions/", ["Havering action"], ["Newham action"]),
    "customers:action_create": Route.denied("/enquiries/actions/new/"),
    "customers:action_update": Route.denied(lambda w: rows(w)["actions"]["havering"].get_absolute_url()),
}

API = {
    "enquiry-list": listing("/api/v1/enquiries/", ["Havering payslips"], ["Newham council tax refund"]),
    "enquiry-detail": Route.detail(own=api_enquiry("own"), other=api_enquiry("other")),
    "enquiry-reply": Route.action(other=api_enquiry("other", "reply/")),
    "enquiry-change": Route.action(other=api_enquiry("other", "change/")),
    "enquiry-rate": Route.action(other=api_enquiry("other", "rate/")),
    "enquirymessage-list": listing("/api/v1/enquiry-messages/", ["Three staff"], ["Newham private details"]),
    "enquirymessage-detail": Route.detail(
        own=lambda w: f"/api/v1/enquiry-messages/{rows(w)['own_message'].pk}/",
        other=lambda w: f"/api/v1/enquiry-messages/{rows(w)['other_message'].pk}/",
    ),
    "feedback-list": listing("/api/v1/feedback/", ["Havering comment"], ["Newham comment"]),
    "feedback-detail": Route.detail(
        own=api_url("feedback", "feedback", "havering"), other=api_url("feedback", "feedback", "newham")
    ),
    "feedback-averages": listing("/api/v1/feedback/averages/?by=partner", ["Havering"], ["Newham"]),
    "satisfactionsurvey-list": listing("/api/v1/surveys/", ["Payroll survey"], ["Council tax survey"]),
    "satisfactionsurvey-detail": Route.detail(
        own=api_url("surveys", "surveys", "havering"), other=api_url("surveys", "surveys", "newham")
    ),
    "improvementaction-list": listing("/api/v1/improvement-actions/", ["Havering action"], ["Newham action"]),
    "improvementaction-detail": Route.detail(
        own=api_url("improvement-actions", "actions", "havering"),
        other=api_url("improvement-actions", "actions", "newham"),
    ),
}
