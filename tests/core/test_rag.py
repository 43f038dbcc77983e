from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from apps.core.rag import Rag, rag

figures = st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
tolerances = st.decimals(min_value=0, max_value=10**4, places=4, allow_nan=False, allow_infinity=False)
polarity = st.booleans()


@given(figures, figures, tolerances, polarity)
def test_polarity_is_symmetric(value, target, tolerance, higher):
    assert rag(value, target, tolerance, higher_is_better=higher) == rag(
        -value, -target, tolerance, higher_is_better=not higher
    )


@given(figures, tolerances, polarity)
def test_exactly_on_target_is_green(target, tolerance, higher):
    assert rag(target, target, tolerance, higher_is_better=higher) == Rag.GREEN


@given(figures, tolerances)
def test_exactly_at_the_tolerance_is_amber_and_just_beyond_is_red(target, tolerance):
    step = Decimal("0.0001")
    if tolerance > 0:
        assert rag(target - tolerance, target, tolerance, higher_is_better=True) == Rag.AMBER
        assert rag(target + tolerance, target, tolerance, higher_is_better=False) == Rag.AMBER
    assert rag(target - tolerance - step, target, tolerance, higher_is_better=True) == Rag.RED
    assert rag(target + tolerance + step, target, tolerance, higher_is_better=False) == Rag.RED


@given(figures, tolerances)
def test_beating_the_target_is_green_whatever_the_polarity(target, tolerance):
    step = Decimal("0.0001")
    assert rag(target + step, target, tolerance, higher_is_better=True) == Rag.GREEN
    assert rag(target - step, target, tolerance, higher_is_better=False) == Rag.GREEN


@given(st.one_of(st.none(), figures), st.one_of(st.none(), figures), tolerances, polarity)
def test_no_target_or_no_figure_is_grey_and_only_then(value, target, tolerance, higher):
    colour = rag(value, target, tolerance, higher_is_better=higher)
    assert (colour == Rag.GREY) == (value is None or target is None)


@given(figures, figures, tolerances, tolerances, polarity)
def test_a_wider_tolerance_never_makes_a_figure_worse(value, target, narrow, extra, higher):
    order = [Rag.GREEN, Rag.AMBER, Rag.RED]
    tight = rag(value, target, narrow, higher_is_better=higher)
    loose = rag(value, target, narrow + extra, higher_is_better=higher)
    assert order.index(loose) <= order.index(tight)


def test_no_tolerance_means_any_miss_is_red():
    assert rag(Decimal("94.9"), Decimal("95"), None, higher_is_better=True) == Rag.RED
