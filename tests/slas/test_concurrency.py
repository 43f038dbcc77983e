import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.slas import services
from apps.slas.models import Agreement
from tests.slas.factories import signed_draft


@pytest.mark.django_db(transaction=True)
def test_two_people_activating_two_drafts_of_the_same_partner_at_once_exactly_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks across connections); CI runs it with DATABASE_URL set")
    drafts = [signed_draft(world, version=1), signed_draft(world, version=2)]
    for draft in drafts:
        services.agreement_sign(user=world["users"]["officer.havering"], agreement=draft)
    signers = [world["users"]["admin"], world["users"]["director.exchequer"]]
    barrier = threading.Barrier(2)
    outcomes = {}

    def sign(index):
        try:
            barrier.wait()
            services.agreement_sign(user=signers[index], agreement=drafts[index])
            outcomes[index] = "activated"
        except ValidationError as error:
            outcomes[index] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values(), key=lambda text: text != "activated")[0] == "activated"
    loser = next(text for text in outcomes.values() if text != "activated")
    assert "came into force while this draft was being signed" in loser
    statuses = sorted(Agreement.objects.filter(partner=world["havering"]).values_list("status", flat=True))
    assert statuses == [Agreement.Status.ACTIVE, Agreement.Status.DRAFT]
    loser_draft = Agreement.objects.get(partner=world["havering"], status=Agreement.Status.DRAFT)
    assert loser_draft.onesource_signed_at is None
