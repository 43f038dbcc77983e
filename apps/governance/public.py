"""The Joint Committee's public pages: meetings, published agendas, papers that are not exempt,
approved minutes and decisions, the oneSource-wide figures as published, and open data.

No sign-in. Nothing in draft, nothing exempt and nothing about a single customer leaves this way: the
selectors these views call read only published agendas, non-exempt items, approved minutes and
published reports of partner councils.
"""

import csv
import datetime as dt
import io

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from . import open_data, selectors
from .models import Meeting, Paper

PAGE_SIZE = 25


def _public(view):
    return login_not_required(require_GET(view))


@_public
def index(request):
    latest = open_data.onesource_figures()
    return render(
        request,
        "open/index.html",
        {
            "next_meeting": selectors.next_public_meeting(),
            "decisions": list(selectors.public_decisions()[:5]),
            "latest": latest,
        },
    )


@_public
def meeting_list(request):
    page = Paginator(selectors.public_meetings(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "open/meeting_list.html", {"page_obj": page, "object_list": page.object_list})


@_public
def meeting_detail(request, pk):
    try:
        detail = selectors.public_meeting_detail(pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    return render(request, "open/meeting_detail.html", detail)


@_public
def pack_download(request, pk):
    meeting = Meeting.objects.agenda_published().filter(pk=pk).first()
    if meeting is None or meeting.pack_status != Meeting.PackStatus.READY or not meeting.pack:
        raise Http404("No published agenda pack.")
    name = f"agenda-pack-{meeting.meets_on:%Y-%m-%d}.pdf"
    return FileResponse(meeting.pack.open("rb"), content_type="application/pdf", filename=name)


@_public
def paper_download(request, pk):
    try:
        paper = selectors.public_paper(pk)
    except Paper.DoesNotExist:
        raise Http404("No such paper.") from None
    if paper.kind != Paper.Kind.UPLOAD:
        raise Http404("This paper is not a document.")
    return FileResponse(
        paper.file.open("rb"), content_type="application/pdf", filename=paper.file.name.rsplit("/", 1)[-1]
    )


@_public
def decision_list(request):
    page = Paginator(selectors.public_decisions(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "open/decision_list.html", {"page_obj": page, "object_list": page.object_list})


@_public
def figures(request, period=None):
    month = None
    if period:
        try:
            month = dt.date.fromisoformat(f"{period}-01")
        except ValueError:
            raise Http404("No such month.") from None
    published = open_data.onesource_figures(month)
    if published is None and month is not None:
        raise Http404("No figures are published for this month.")
    return render(
        request,
        "open/figures.html",
        {
            "published": published,
            "snapshot": published.snapshot if published else None,
            "months": open_data.published_months(),
        },
    )


@_public
def data(request):
    return render(
        request,
        "open/data.html",
        {"columns": open_data.COLUMNS, "licence": open_data.LICENCE, "licence_url": open_data.LICENCE_URL},
    )


@_public
def kpis_csv(request):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=open_data.COLUMN_NAMES, lineterminator="\n")
    writer.writeheader()
    for row in open_data.kpi_rows():
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="onesource-kpis.csv"'
    response["Link"] = f'<{open_data.LICENCE_URL}>; rel="license"'
    return response


@_public
def kpis_json(request):
    return JsonResponse(
        {
            "title": "oneSource KPI figures and ratings by month and partner council, as published",
            "licence": open_data.LICENCE,
            "licence_url": open_data.LICENCE_URL,
            "publisher": "oneSource",
            "columns": [{"name": name, "description": text} for name, text in open_data.COLUMNS],
            "rows": open_data.kpi_rows(),
        }
    )


@_public
def calendar(request):
    """Every meeting of the committee as an iCalendar feed; cancelled meetings are marked so."""
    feed = Calendar()
    feed.add("prodid", "-//oneSource portal//Joint Committee meetings//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "oneSource Joint Committee")
    host = settings.PORTAL_URL.split("://", 1)[-1].split("/", 1)[0]
    for meeting in selectors.public_meetings():
        start = dt.datetime.combine(meeting.meets_on, meeting.starts_at, tzinfo=_london())
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", str(meeting.committee))
        event.add("dtstart", start)
        event.add("duration", dt.timedelta(hours=2))
        event.add("dtstamp", meeting.updated_at)
        event.add("location", meeting.place or meeting.online_link)
        event.add("url", f"{settings.PORTAL_URL}{meeting.get_public_url()}")
        event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
        feed.add_component(event)
    return HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")


def _london():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)
