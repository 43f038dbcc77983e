import datetime as dt
from decimal import Decimal

from apps.growth import services
from apps.partners.models import Partner


def make_opportunity(world, *, title="School trust payroll", user="admin", services_of_interest=None, **fields):
    data = {
        "title": title,
        "organisation_name": fields.pop("organisation_name", "Harbour Academy Trust"),
        "joins_as": fields.pop("joins_as", Partner.Kind.CUSTOMER),
        "arrangement": fields.pop("arrangement", Partner.Arrangement.GOODS_AND_SERVICES_ACT),
        "sector": fields.pop("sector", Partner.Sector.ACADEMY),
        "expected_annual_value": fields.pop("expected_annual_value", Decimal("90000.00")),
        "probability": fields.pop("probability", 50),
        "expected_start": fields.pop("expected_start", dt.date(2016, 9, 1)),
        "owner": fields.pop("owner", world["users"]["admin"]),
        "services": services_of_interest if services_of_interest is not None else [world["services"]["payroll"]],
        **fields,
    }
    return services.opportunity_save(user=world["users"][user], **data)


def make_income(world, partner, service, *, year=2016, budget="12000.00", actuals=()):
    line = services.traded_income_set(
        user=world["users"]["admin"], partner=partner, service=service, financial_year=year, budget=Decimal(budget)
    )
    for period, amount in actuals:
        services.traded_income_actual_record(
            user=world["users"]["admin"], line=line, period=period, amount=Decimal(amount)
        )
    return line
