"""Minutes belong to a meeting that has been held: a trigger refuses any other, whatever writes the row,
and refuses to take a meeting with minutes back to before it was held.

PostgreSQL only (production and CI). SQLite, the dev default, rebuilds a table to change it, and a
trigger naming the rebuilt table would break every later migration of these tables there; on SQLite
the services' own check holds the rule.
"""

from django.db import migrations

HELD = "('held', 'minutes_approved')"
MESSAGE = "Minutes are recorded only for a meeting that has been held."

POSTGRESQL = [
    f"""
    CREATE FUNCTION governance_minute_needs_held_meeting() RETURNS trigger AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM governance_agendaitem i JOIN governance_meeting m ON m.id = i.meeting_id
            WHERE i.id = NEW.item_id AND m.status IN {HELD}
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER governance_minute_needs_held_meeting BEFORE INSERT OR UPDATE ON governance_minute
    FOR EACH ROW EXECUTE FUNCTION governance_minute_needs_held_meeting();
    """,
    f"""
    CREATE FUNCTION governance_meeting_keeps_minutes() RETURNS trigger AS $$
    BEGIN
        IF NEW.status NOT IN {HELD} AND EXISTS (
            SELECT 1 FROM governance_minute n JOIN governance_agendaitem i ON i.id = n.item_id
            WHERE i.meeting_id = NEW.id
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER governance_meeting_keeps_minutes BEFORE UPDATE OF status ON governance_meeting
    FOR EACH ROW EXECUTE FUNCTION governance_meeting_keeps_minutes();
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER governance_meeting_keeps_minutes ON governance_meeting",
    "DROP FUNCTION governance_meeting_keeps_minutes()",
    "DROP TRIGGER governance_minute_needs_held_meeting ON governance_minute",
    "DROP FUNCTION governance_minute_needs_held_meeting()",
]

def _run(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_committee_meetings_agendas_decisions_actions")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL}),
            _run({"postgresql": POSTGRESQL_DROP}),
        ),
    ]
