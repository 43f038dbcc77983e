"""The Joint Committee's own business: who sits on it, its meetings, agendas, papers, minutes,
decisions and the actions it asks for.

"Members govern oneSource through the Joint Committee, which receives key reports and takes
strategic decisions" (the Strategic Plan). What may be read, and by whom:

* administrators (the clerk) see and change everything;
* committee members see every meeting, every published agenda, exempt items included;
* oneSource directors and officers see meetings, published agendas without the exempt items, and
  the actions they own;
* partner officers, like the public, read the open pages at ``/open/`` (see ``public`` below).

Exempt items follow the Local Government Act 1972, Schedule 12A: an item is exempt under one of the
paragraphs 1 to 7, and neither it nor its papers leave the committee.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from apps.core.models import OPEN_ACTION_STATUSES, ActionStatus, TimeStampedModel
from apps.core.policy import PolicyQuerySet, role_of
from apps.core.roles import STAFF_ROLES, Role
from apps.partners.models import Partner
from apps.reports.models import CommitteePack, PublishedReport
from apps.risks.models import Risk
from apps.savings.models import Programme, SavingLine
from apps.slas.models import Agreement

#: Local Government Act 1972, Schedule 12A, Part 1: the descriptions of exempt information.
SCHEDULE_12A = [
    (1, "Paragraph 1: information relating to any individual"),
    (2, "Paragraph 2: information likely to reveal the identity of an individual"),
    (3, "Paragraph 3: information relating to the financial or business affairs of any particular person"),
    (4, "Paragraph 4: consultations or negotiations in connection with a labour relations matter"),
    (5, "Paragraph 5: information subject to legal professional privilege"),
    (6, "Paragraph 6: a proposed notice, order or direction under any enactment"),
    (7, "Paragraph 7: the prevention, investigation or prosecution of crime"),
]

#: oneSource, and its Joint Committee, began in April 2014.
FIRST_MEETING_DAY = dt.date(2014, 4, 1)

#: Roles that read the committee's own pages (partner officers and the public use /open/).
COMMITTEE_READERS = frozenset({Role.ADMIN, Role.COMMITTEE_MEMBER})


#: Who may own an action: oneSource's staff and the committee's members.
ACTION_OWNER_ROLES = frozenset(STAFF_ROLES | {Role.COMMITTEE_MEMBER})


def reads_committee_pages(user) -> bool:
    return role_of(user) in COMMITTEE_READERS | STAFF_ROLES


def may_clerk(user) -> bool:
    """The clerk's work (agendas, attendance, minutes, decisions, actions) is the administrators'."""
    return role_of(user) == Role.ADMIN


class Committee(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    councils = models.ManyToManyField(Partner, related_name="committees", help_text="The councils that sit on it.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(TimeStampedModel):
    """A committee member or substitute, sitting for one council over a term."""

    class Kind(models.TextChoices):
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"

    class Office(models.TextChoices):
        NONE = "", "None"
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
        limit_choices_to={"role": Role.COMMITTEE_MEMBER},
    )
    council = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="committee_memberships")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    office = models.CharField(max_length=10, choices=Office.choices, default=Office.NONE, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "kind", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user", "starts_on"],
                name="membership_unique_term_start",
                violation_error_message="This person already has a term on the committee starting that day.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
                violation_error_message="A term cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(office="") | Q(kind="member"),
                name="membership_office_for_members_only",
                violation_error_message="Only a member, not a substitute, may be chair or vice-chair.",
            ),
            models.UniqueConstraint(
                fields=["committee", "office"],
                condition=Q(ends_on__isnull=True) & ~Q(office=""),
                name="membership_one_current_office_holder",
                violation_error_message="The committee already has a serving holder of that office.",
            ),
        ]

    def __str__(self):
        office = f", {self.get_office_display()}" if self.office else ""
        return f"{self.user} ({self.council.short_name}, {self.get_kind_display().lower()}{office})"

    def serves_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class CommitteeOfficer(TimeStampedModel):
    """An officer who attends the committee: the clerk, the managing director, a section 151 officer."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_officer_roles",
        limit_choices_to={"role__in": sorted(STAFF_ROLES)},
    )
    title = models.CharField(max_length=120, help_text="For example Clerk to the Joint Committee.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"],
                name="committee_officer_unique",
                violation_error_message="This officer already attends the committee.",
            ),
        ]

    def __str__(self):
        return f"{self.user}, {self.title}"


class MeetingQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self if reads_committee_pages(user) else self.none()

    def editable_by(self, user):
        return self if may_clerk(user) else self.none()

    def agenda_published(self):
        return self.filter(status__in=Meeting.AGENDA_STATUSES)


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        AGENDA_PUBLISHED = "agenda_published", "Agenda published"
        HELD = "held", "Held"
        MINUTES_APPROVED = "minutes_approved", "Minutes approved"
        CANCELLED = "cancelled", "Cancelled"

    class PackStatus(models.TextChoices):
        NONE = "", "Not built"
        PENDING = "pending", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    #: A meeting in one of these has a published agenda.
    AGENDA_STATUSES = (Status.AGENDA_PUBLISHED, Status.HELD, Status.MINUTES_APPROVED)
    #: Minutes are recorded only for a meeting in one of these (a database trigger holds it too).
    HELD_STATUSES = (Status.HELD, Status.MINUTES_APPROVED)

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    meets_on = models.DateField("Date")
    starts_at = models.TimeField("Time")
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("Online link", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    agenda_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes_of",
        editable=False,
        help_text="The meeting at which these minutes were approved.",
    )
    cancelled_reason = models.TextField(blank=True)
    pack = models.FileField(upload_to="governance/packs/", blank=True, editable=False)
    pack_status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.NONE, blank=True)
    pack_pages = models.PositiveIntegerField(null=True, blank=True, editable=False)
    pack_error = models.TextField(blank=True, editable=False)
    pack_built_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["pack_status", "pack_pages", "pack_error", "pack_built_at"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-meets_on", "-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "meets_on", "starts_at"],
                name="meeting_unique_time",
                violation_error_message="The committee already meets at that date and time.",
            ),
            models.CheckConstraint(
                condition=Q(meets_on__gte=FIRST_MEETING_DAY),
                name="meeting_after_onesource_began",
                violation_error_message="The Joint Committee first met in April 2014: check the date.",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="meeting_has_place_or_link",
                violation_error_message="Give the place of the meeting, an online link, or both.",
            ),
            models.CheckConstraint(
                condition=Q(agenda_published_at__isnull=False) | Q(status__in=["scheduled", "cancelled"]),
                name="meeting_published_agenda_has_date",
                violation_error_message="A meeting past its agenda's publication needs the date it was published.",
            ),
        ]

    def __str__(self):
        return f"{self.committee} — {self.meets_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse("open:meeting_detail", kwargs={"pk": self.pk})

    @property
    def agenda_is_published(self) -> bool:
        return self.status in self.AGENDA_STATUSES

    @property
    def is_held(self) -> bool:
        return self.status in self.HELD_STATUSES

    @property
    def status_colour(self) -> str:
        return {
            "scheduled": "grey",
            "agenda_published": "blue",
            "held": "turquoise",
            "minutes_approved": "green",
            "cancelled": "red",
        }[self.status]


class Attendance(TimeStampedModel):
    """Who came to a meeting, in what capacity, and who sent apologies."""

    class Capacity(models.TextChoices):
        MEMBER = "member", "Member"
        SUBSTITUTE = "substitute", "Substitute"
        OFFICER = "officer", "Officer"

    class Presence(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    capacity = models.CharField(max_length=10, choices=Capacity.choices)
    presence = models.CharField(max_length=10, choices=Presence.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["capacity", "council__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                name="attendance_once_per_meeting",
                violation_error_message="This person's attendance is already recorded for the meeting.",
            ),
            models.CheckConstraint(
                condition=(Q(capacity="officer") & Q(council__isnull=True))
                | (~Q(capacity="officer") & Q(council__isnull=False)),
                name="attendance_council_for_members_only",
                violation_error_message="A member or substitute sits for a council; an officer for none.",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_presence_display()}"


class AgendaItemQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role == Role.COMMITTEE_MEMBER:
            return self.filter(meeting__status__in=Meeting.AGENDA_STATUSES)
        if role in STAFF_ROLES:
            return self.filter(meeting__status__in=Meeting.AGENDA_STATUSES, is_exempt=False)
        return self.none()

    def editable_by(self, user):
        return self if may_clerk(user) else self.none()

    def public(self):
        """What anyone may read, signed in or not: published agendas, no exempt item."""
        return self.filter(meeting__status__in=Meeting.AGENDA_STATUSES, is_exempt=False)


class AgendaItem(TimeStampedModel):
    class Purpose(models.TextChoices):
        DECISION = "decision", "For decision"
        INFORMATION = "information", "For information"

    class Kind(models.TextChoices):
        BUSINESS = "business", "Business"
        MINUTES = "minutes", "Minutes of the last meeting"
        ACTIONS = "actions", "Actions from previous meetings"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(editable=False)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What the committee is asked to consider.")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_agenda_items",
        limit_choices_to={"role__in": sorted(STAFF_ROLES)},
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.INFORMATION)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BUSINESS, editable=False)
    minutes_of = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    is_exempt = models.BooleanField("Exempt", default=False)
    exempt_paragraph = models.PositiveSmallIntegerField(
        "Schedule 12A paragraph", choices=SCHEDULE_12A, null=True, blank=True
    )

    history = HistoricalRecords()
    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="agenda_item_unique_number",
                violation_error_message="Another item of this agenda has that number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="agenda_item_number_positive",
                violation_error_message="Items count from 1.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(is_exempt=True)
                    & Q(exempt_paragraph__isnull=False)
                    & Q(exempt_paragraph__gte=1)
                    & Q(exempt_paragraph__lte=7)
                )
                | (Q(is_exempt=False) & Q(exempt_paragraph__isnull=True)),
                name="agenda_item_exempt_paragraph",
                violation_error_message="An exempt item needs the paragraph of Schedule 12A (1 to 7) that applies; "
                "an item that is not exempt has none.",
            ),
            models.CheckConstraint(
                condition=(Q(kind="minutes") & Q(minutes_of__isnull=False))
                | (~Q(kind="minutes") & Q(minutes_of__isnull=True)),
                name="agenda_item_minutes_name_their_meeting",
                violation_error_message="The minutes item names the meeting whose minutes it approves.",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("governance:item_detail", kwargs={"pk": self.pk})


#: The field that holds the target of each kind of paper (see ``Paper``).
PAPER_LINKS = {
    "upload": "file",
    "monthly_report": "published_report",
    "committee_pack": "committee_pack",
    "programme": "programme",
    "agreement": "agreement",
    "risk": "risk",
}


def _filled(field: str) -> Q:
    return ~Q(**{field: ""}) & Q(**{f"{field}__isnull": False}) if field == "file" else Q(**{f"{field}__isnull": False})


def _empty(field: str) -> Q:
    return (Q(**{field: ""}) | Q(**{f"{field}__isnull": True})) if field == "file" else Q(**{f"{field}__isnull": True})


def _paper_links_constraint() -> Q:
    """Exactly the field of the paper's kind is filled."""
    condition = Q()
    for kind, field in PAPER_LINKS.items():
        others = [_empty(other) for other in PAPER_LINKS.values() if other != field]
        condition |= Q(kind=kind) & _filled(field) & Q(*others)
    return condition


class PaperQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(item__in=AgendaItem.objects.visible_to(user))

    def public(self):
        return self.filter(item__in=AgendaItem.objects.public())


class Paper(TimeStampedModel):
    """A paper of an agenda item: a PDF uploaded for it, or a link to something the portal holds.

    Each kind of link is one nullable field, named in ``PAPER_LINKS``; a database constraint keeps
    exactly the field of the paper's kind filled. A new kind of paper is a field, a choice and an
    entry in ``PAPER_LINKS``. A risk paper stays inside the portal: the public read its title only.
    """

    class Kind(models.TextChoices):
        UPLOAD = "upload", "Uploaded PDF"
        MONTHLY_REPORT = "monthly_report", "Published monthly report"
        COMMITTEE_PACK = "committee_pack", "The month's committee pack"
        PROGRAMME = "programme", "Savings programme"
        AGREEMENT = "agreement", "Service level agreement"
        RISK = "risk", "Risk from the register"

    LINKS = PAPER_LINKS

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="governance/papers/", null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    published_report = models.ForeignKey(
        PublishedReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    committee_pack = models.ForeignKey(CommitteePack, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, null=True, blank=True, related_name="committee_papers")

    history = HistoricalRecords()
    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_paper_links_constraint(),
                name="paper_links_its_kind_only",
                violation_error_message="A paper is one upload or one link, of its own kind.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:paper_download", kwargs={"pk": self.pk})

    @property
    def target(self):
        return getattr(self, self.LINKS[self.kind])


class MinuteQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(item__in=AgendaItem.objects.visible_to(user))

    def public(self):
        return self.filter(item__in=AgendaItem.objects.public(), item__meeting__status=Meeting.Status.MINUTES_APPROVED)


class Minute(TimeStampedModel):
    """The minutes of one agenda item. Only a meeting that has been held has minutes: a database
    trigger (migration 0002, PostgreSQL) refuses any other, whatever writes the row."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    text = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    objects = MinuteQuerySet.as_manager()

    class Meta:
        ordering = ["item__meeting", "item__number"]

    def __str__(self):
        return f"Minutes of item {self.item}"


class DecisionQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(item__in=AgendaItem.objects.visible_to(user))

    def editable_by(self, user):
        return self if may_clerk(user) else self.none()

    def public(self):
        return self.filter(item__in=AgendaItem.objects.public(), item__meeting__status=Meeting.Status.MINUTES_APPROVED)


class Decision(TimeStampedModel):
    """A resolution of the committee on an item, and what it decided about."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    wording = models.TextField(help_text="RESOLVED: the resolution as the committee made it.")
    decided_on = models.DateField()
    saving_lines = models.ManyToManyField(SavingLine, blank=True, related_name="committee_decisions")
    programmes = models.ManyToManyField(Programme, blank=True, related_name="committee_decisions")
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="committee_decisions")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(m2m_fields=[saving_lines, programmes, agreements])
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "item__number", "pk"]

    def __str__(self):
        return f"Decision of {self.decided_on:%-d %B %Y} on item {self.item.number}"

    def get_absolute_url(self):
        return reverse("governance:item_detail", kwargs={"pk": self.item_id}) + f"#decision-{self.pk}"


class ActionQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        role = role_of(user)
        if role in COMMITTEE_READERS:
            return self.filter(item__in=AgendaItem.objects.visible_to(user))
        if role in STAFF_ROLES:
            return self.filter(Q(item__in=AgendaItem.objects.visible_to(user)) | Q(owner=user))
        return self.none()

    def editable_by(self, user):
        """The clerk changes any action; its owner reports progress on their own."""
        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role is None:
            return self.none()
        return self.filter(owner=user)

    def open(self):
        return self.filter(status__in=Action.OPEN_STATUSES)


class Action(TimeStampedModel):
    Status = ActionStatus
    OPEN_STATUSES = OPEN_ACTION_STATUSES

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_actions",
        limit_choices_to={"role__in": sorted(ACTION_OWNER_ROLES)},
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # The due date each reminder was sent for: once each, and again if the date moves.
    due_soon_sent_for = models.DateField(null=True, blank=True, editable=False)
    overdue_sent_for = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["due_soon_sent_for", "overdue_sent_for"])
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:action_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ActionUpdateQuerySet(PolicyQuerySet):
    def visible_to(self, user):
        return self.filter(action__in=Action.objects.visible_to(user))


class ActionUpdate(TimeStampedModel):
    """A dated note of progress on an action, with the status it left the action in."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    posted_on = models.DateField()
    note = models.TextField()
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()
    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_on", "-created_at"]

    def __str__(self):
        return f"{self.action}: {self.posted_on:%-d %B %Y}"
