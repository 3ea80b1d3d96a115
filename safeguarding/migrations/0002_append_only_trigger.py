"""The database itself refuses to change the log: PostgreSQL refuses UPDATE and DELETE; SQLite refuses
UPDATE (its test runner empties tables with DELETE, so a DELETE trigger there would break the test flush;
TRUNCATE, which PostgreSQL's flush uses, is not covered by a row trigger)."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION safeguarding_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the safeguarding log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER safeguarding_entry_append_only BEFORE UPDATE OR DELETE ON safeguarding_entry
    FOR EACH ROW EXECUTE FUNCTION safeguarding_entry_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS safeguarding_entry_append_only ON safeguarding_entry;
DROP FUNCTION IF EXISTS safeguarding_entry_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER safeguarding_entry_no_update BEFORE UPDATE ON safeguarding_entry
BEGIN SELECT RAISE(ABORT, 'the safeguarding log is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS safeguarding_entry_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
