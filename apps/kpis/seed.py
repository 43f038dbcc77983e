"""The KPI set of oneSource's services: what each service area measures for each partner, and how.

The strategic plan asks for "KPIs, measures and metrics for oneSource and customers" in each
service area; these are the standard local-government measures for the services it lists.
"""

from apps.catalogue.models import Service, ServiceArea
from apps.core.seeding import upsert

from .models import KPI

P, C, D, G = KPI.Unit.PERCENT, KPI.Unit.COUNT, KPI.Unit.DAYS, KPI.Unit.GBP
HIGHER, LOWER = KPI.Polarity.HIGHER, KPI.Polarity.LOWER
MONTHLY, QUARTERLY = KPI.Frequency.MONTHLY, KPI.Frequency.QUARTERLY

# code, name, service slug (None: every partner of the area), unit, polarity, frequency, decimal
# places, (numerator label, denominator label[, rule over months]) for a rate or the aggregation rule
# for a value, definition. A cumulative or rolling rate takes its latest month ("latest") for the year.
KPIS = [
    (
        "EXT-01",
        "Council Tax collected in year",
        "council-tax-and-benefits",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Council Tax collected in the year to date (£)", "Net collectable debit for the year (£)", "latest"),
        "Council Tax received for the current year, as a percentage of the net amount collectable for the "
        "year. Cumulative: each month reports the year to date, so the March figure is the in-year "
        "collection rate.",
    ),
    (
        "EXT-02",
        "Business rates (NNDR) collected in year",
        "nndr",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Business rates collected in the year to date (£)", "Net collectable debit for the year (£)", "latest"),
        "Non-domestic rates received for the current year, as a percentage of the net amount collectable. "
        "Cumulative over the financial year.",
    ),
    (
        "EXT-03",
        "Invoices paid within 30 days",
        None,
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Undisputed invoices paid within 30 days", "Undisputed invoices paid"),
        "Undisputed invoices from suppliers paid within 30 days of receipt, as a percentage of all undisputed "
        "invoices paid in the month.",
    ),
    (
        "EXT-04",
        "Average days to process new benefit claims",
        "council-tax-and-benefits",
        D,
        LOWER,
        MONTHLY,
        1,
        ("Total calendar days taken to decide new claims", "New claims decided"),
        "Average calendar days from receipt of a new Housing Benefit or Council Tax Support claim to its "
        "decision (the DWP's 'speed of processing' measure for new claims).",
    ),
    (
        "EXT-05",
        "Average days to process benefit change events",
        "council-tax-and-benefits",
        D,
        LOWER,
        MONTHLY,
        1,
        ("Total calendar days taken to process change events", "Change events processed"),
        "Average calendar days from notification of a change of circumstances to its processing.",
    ),
    (
        "EXT-06",
        "Payroll accuracy",
        "transactional-hr-and-payroll",
        P,
        HIGHER,
        MONTHLY,
        2,
        ("Payments made without error", "Payments made"),
        "Salary and pension payments made correctly and on time, as a percentage of all payments in the "
        "month. An error is any payment later corrected because of a payroll mistake.",
    ),
    (
        "HR-01",
        "Average working days lost to sickness per FTE",
        None,
        D,
        LOWER,
        MONTHLY,
        2,
        ("Working days lost to sickness in the last 12 months", "Average full-time equivalent staff", "latest"),
        "Working days lost to sickness absence over the last 12 months, divided by the average number of "
        "full-time equivalent employees (excluding schools).",
    ),
    (
        "HR-02",
        "Recruitment: days from advert closing to offer",
        "strategic-and-operational-hr",
        D,
        LOWER,
        MONTHLY,
        1,
        ("Total days from closing date to offer", "Offers made"),
        "Average calendar days from the closing date of an advertised post to a conditional offer.",
    ),
    (
        "ICT-01",
        "IT service desk first-contact resolution",
        "it-support",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Incidents resolved at first contact", "Incidents logged with the service desk"),
        "Incidents resolved by the service desk during the first contact, without referral to another team, "
        "as a percentage of all incidents logged.",
    ),
    (
        "ICT-02",
        "Availability of key systems",
        "it-support",
        P,
        HIGHER,
        MONTHLY,
        2,
        ("Minutes key systems were available", "Minutes of agreed service hours"),
        "Minutes in which the key business systems (finance, HR and payroll, revenues and benefits, email) "
        "were available during agreed service hours, as a percentage of those minutes. Planned maintenance "
        "agreed in advance is excluded.",
    ),
    (
        "ICT-03",
        "Priority 1 incidents resolved within 4 hours",
        "it-support",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Priority 1 incidents resolved within 4 hours", "Priority 1 incidents resolved"),
        "Priority 1 (service-wide) incidents resolved within 4 working hours of being logged.",
    ),
    (
        "LEG-01",
        "Freedom of Information requests answered within 20 working days",
        "democratic-services",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Requests answered within 20 working days", "Requests due a response in the month"),
        "Freedom of Information and Environmental Information Regulations requests answered within the "
        "statutory 20 working days, as a percentage of requests due in the month.",
    ),
    (
        "LEG-02",
        "Legal matters closed within target",
        "legal-services",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Matters closed within their agreed target time", "Matters closed"),
        "Legal matters closed within the target time agreed with the instructing service when the matter "
        "was opened, as a percentage of all matters closed in the month.",
    ),
    (
        "AM-01",
        "Reactive repairs completed within target time",
        "facilities-management",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Reactive repairs completed within target", "Reactive repairs completed"),
        "Reactive repairs to the corporate estate completed within the target time for their priority.",
    ),
    (
        "AM-02",
        "Reportable health and safety incidents (RIDDOR)",
        "health-and-safety",
        C,
        LOWER,
        MONTHLY,
        0,
        KPI.Aggregation.SUM,
        "Incidents reported to the Health and Safety Executive under RIDDOR in the month.",
    ),
    (
        "BS-01",
        "Transformation projects on track",
        None,
        P,
        HIGHER,
        QUARTERLY,
        0,
        ("Projects rated on track", "Projects in progress"),
        "Transformation projects whose delivery is on schedule and budget at the quarter end, as a percentage "
        "of projects in progress.",
    ),
    (
        "FIN-01",
        "Budget monitoring reports issued on time",
        "financial-services",
        P,
        HIGHER,
        MONTHLY,
        1,
        ("Budget monitoring reports issued by the deadline", "Budget monitoring reports due"),
        "Monthly budget monitoring reports issued to budget holders by the working-day deadline in the "
        "closedown timetable.",
    ),
    (
        "FIN-02",
        "Month-end closedown completed by working day 5",
        "financial-services",
        P,
        HIGHER,
        MONTHLY,
        0,
        ("Ledgers closed by working day 5", "Ledgers due to close"),
        "General ledgers closed for the month by the fifth working day of the following month.",
    ),
    (
        "FIN-03",
        "Outstanding debt over 90 days",
        "financial-services",
        G,
        LOWER,
        MONTHLY,
        0,
        KPI.Aggregation.LATEST,
        "Sundry debt outstanding for more than 90 days at the month end. A balance, so the latest month "
        "stands for the year.",
    ),
]


def load() -> str:
    areas = {area.code: area for area in ServiceArea.objects.all()}
    services = {service.slug: service for service in Service.objects.all()}
    created = 0
    for code, name, service_slug, unit, polarity, frequency, places, rule, definition in KPIS:
        is_rate = isinstance(rule, tuple)
        _, new = upsert(
            KPI,
            code=code,
            defaults={
                "name": name,
                "definition": definition,
                "area": areas[code.split("-")[0]],
                "service": services[service_slug] if service_slug else None,
                "unit": unit,
                "polarity": polarity,
                "frequency": frequency,
                "decimal_places": places,
                "is_rate": is_rate,
                "numerator_label": rule[0] if is_rate else "",
                "denominator_label": rule[1] if is_rate else "",
                "aggregation": (rule[2] if len(rule) > 2 else KPI.Aggregation.SUM) if is_rate else rule,
            },
        )
        created += new
    return f"{len(KPIS)} KPIs ({created} new)"
