"""The agenda pack of a meeting: one PDF of the agenda and the non-exempt papers, page-numbered.

The agenda page is drawn with WeasyPrint (as the committee pack is); the uploaded papers are appended
with pypdf, then every page is stamped "Page n of N". Exempt items are listed on the agenda by number
and paragraph only, and their papers never enter the pack: the pack is a public document.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML

from .models import Action, AgendaItem, Meeting, Paper


def pack_papers(meeting: Meeting) -> list[Paper]:
    """The uploaded papers the pack carries, in agenda order: never an exempt item's."""
    return list(
        Paper.objects.filter(item__meeting=meeting, item__is_exempt=False, kind=Paper.Kind.UPLOAD)
        .select_related("item")
        .order_by("item__number", "pk")
    )


def _paper_note(paper: Paper, starts: dict[int, int]) -> str:
    if paper.kind == Paper.Kind.UPLOAD:
        return f"{paper.title}, page {starts[paper.pk]}" if paper.pk in starts else paper.title
    return f"{paper.title} ({paper.get_kind_display().lower()}, in the portal)"


def open_actions(meeting: Meeting) -> list[Action]:
    """The actions still open from earlier meetings, which the agenda carries (none of an exempt item)."""
    if not any(item.kind == AgendaItem.Kind.ACTIONS for item in meeting.items.all()):
        return []
    return list(
        Action.objects.open()
        .filter(item__meeting__committee=meeting.committee, item__meeting__meets_on__lt=meeting.meets_on)
        .filter(item__is_exempt=False)
        .select_related("owner", "item__meeting")
        .order_by("due_on", "pk")
    )


def _agenda_pdf(meeting: Meeting, items, starts: dict[int, int]) -> bytes:
    rows = [
        {"item": item, "papers": [] if item.is_exempt else [_paper_note(p, starts) for p in item.papers.all()]}
        for item in items
    ]
    html = render_to_string(
        "governance/agenda_pack.html",
        {"meeting": meeting, "rows": rows, "actions": open_actions(meeting), "portal_url": settings.PORTAL_URL},
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("reports/pack.css"))])


def _numbers_pdf(total: int) -> PdfReader:
    pages = "".join(f'<div class="page">Page {n} of {total}</div>' for n in range(1, total + 1))
    css = CSS(
        string="@page { size: A4; margin: 0 } body { margin: 0; font-family: sans-serif; font-size: 9pt }"
        " .page { height: 297mm; position: relative; page-break-after: always }"
        " .page { box-sizing: border-box; padding-top: 285mm; text-align: center }"
    )
    return PdfReader(io.BytesIO(HTML(string=f"<html><body>{pages}</body></html>").write_pdf(stylesheets=[css])))


def agenda_pack(meeting: Meeting) -> tuple[bytes, int]:
    """The pack's PDF and its number of pages."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("lead_officer")
        .prefetch_related("papers")
        .order_by("number")
    )
    papers = pack_papers(meeting)
    readers = [PdfReader(paper.file.open("rb")) for paper in papers]
    # Twice: the agenda lists the page each paper starts on, which depends on the agenda's length.
    agenda = _agenda_pdf(meeting, items, {})
    for _ in range(2):
        page = len(PdfReader(io.BytesIO(agenda)).pages) + 1
        starts = {}
        for paper, reader in zip(papers, readers, strict=True):
            starts[paper.pk] = page
            page += len(reader.pages)
        agenda = _agenda_pdf(meeting, items, starts)

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(agenda)))
    for reader in readers:
        writer.append(reader)
    total = len(writer.pages)
    numbers = _numbers_pdf(total)
    for page, stamp in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(stamp)
    for paper in papers:
        paper.file.close()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total
