"""What the committee's business adds to the dashboard at ``/``."""

from django.utils import timezone

from apps.core.policy import role_of

from . import selectors
from .models import ACTION_OWNER_ROLES, COMMITTEE_READERS

#: How many actions a panel lists before linking to the full list.
PANEL_ROWS = 10


def committee_panel(user):
    """For members and the clerk: open and overdue actions, and the next meeting with its agenda."""
    if role_of(user) not in COMMITTEE_READERS:
        return None
    today = timezone.localdate()
    actions = list(selectors.action_list(user=user, today=today).open()[: PANEL_ROWS + 1])
    counts = selectors.action_counts(user=user, today=today)
    meeting = selectors.next_meeting(user=user, today=today)
    items = list(selectors.agenda_items(user=user, meeting=meeting)) if meeting else []
    return {
        "actions": actions[:PANEL_ROWS],
        "more_actions": len(actions) > PANEL_ROWS,
        "counts": counts,
        "meeting": meeting,
        "items": items,
    }


def my_actions_panel(user):
    """The open committee actions the user owns; nothing when they own none (or may own none)."""
    if role_of(user) not in ACTION_OWNER_ROLES:
        return None
    # Most readers own no open action: asked first in a plain query, before the list with its joins.
    if not selectors.owns_open_actions(user=user):
        return None
    actions = list(selectors.my_actions(user=user)[: PANEL_ROWS + 1])
    if not actions:
        return None
    return {"actions": actions[:PANEL_ROWS], "more_actions": len(actions) > PANEL_ROWS}
