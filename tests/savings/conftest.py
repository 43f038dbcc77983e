import datetime as dt

import pytest


@pytest.fixture
def reporting_2016(monkeypatch):
    """Pages behave as in September 2016, in the middle of the programmes."""
    from apps.savings import selectors, services

    monkeypatch.setattr(selectors.timezone, "localdate", lambda: dt.date(2016, 9, 15))
    assert services.timezone is selectors.timezone
