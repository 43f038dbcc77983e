from decimal import Decimal

from apps.core.money import format_money, format_money_short


def test_summaries_read_in_millions_and_detail_to_the_penny():
    assert format_money_short(Decimal("10600000")) == "£10.6m"
    assert format_money_short(Decimal("14800000.00")) == "£14.8m"
    assert format_money_short(Decimal("-250000")) == "-£250k"
    assert format_money(Decimal("10600000")) == "£10,600,000.00"
    assert format_money(Decimal("-1234.565")) == "-£1,234.57"
    assert format_money(None) == "–"
