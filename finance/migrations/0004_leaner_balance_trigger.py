"""A leaner balance check: only posted entries queue an event, and lines need none.

Lines of a posted entry cannot be inserted, changed or deleted (finance_line_guard), so a
balance check per line event only repeated the entry's own check. The entry's check now has
a WHEN clause, so drafts queue nothing; it runs once per posted entry, at commit.
"""

from django.db import migrations

SQL = r"""
DROP TRIGGER finance_line_balanced ON finance_journalline;
DROP TRIGGER finance_entry_balanced ON finance_journalentry;

CREATE OR REPLACE FUNCTION finance_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    total_debit numeric;
    total_credit numeric;
BEGIN
    EXECUTE format('SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0) FROM %I.finance_journalline WHERE entry_id = $1',
                   TG_TABLE_SCHEMA) INTO n, total_debit, total_credit USING NEW.id;
    IF n < 2 OR total_debit <> total_credit OR total_debit = 0 THEN
        RAISE EXCEPTION 'Boeking (id %) is niet in evenwicht: debet % en credit % in % regels.',
            NEW.id, total_debit, total_credit, n USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER finance_entry_balanced
    AFTER INSERT OR UPDATE ON finance_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.status = 'geboekt')
    EXECUTE FUNCTION finance_entry_balanced();
"""

REVERSE_SQL = r"""
DROP TRIGGER finance_entry_balanced ON finance_journalentry;

CREATE OR REPLACE FUNCTION finance_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_id bigint;
    entry_status text;
    n integer;
    total_debit numeric;
    total_credit numeric;
BEGIN
    IF TG_TABLE_NAME = 'finance_journalentry' THEN
        entry_id := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        entry_id := OLD.entry_id;
    ELSE
        entry_id := NEW.entry_id;
    END IF;
    EXECUTE format('SELECT status FROM %I.finance_journalentry WHERE id = $1', TG_TABLE_SCHEMA)
        INTO entry_status USING entry_id;
    IF entry_status IS DISTINCT FROM 'geboekt' THEN
        RETURN NULL;
    END IF;
    EXECUTE format('SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0) FROM %I.finance_journalline WHERE entry_id = $1',
                   TG_TABLE_SCHEMA) INTO n, total_debit, total_credit USING entry_id;
    IF n < 2 OR total_debit <> total_credit OR total_debit = 0 THEN
        RAISE EXCEPTION 'Boeking (id %) is niet in evenwicht: debet % en credit % in % regels.',
            entry_id, total_debit, total_credit, n USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER finance_entry_balanced
    AFTER INSERT OR UPDATE ON finance_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION finance_entry_balanced();

CREATE CONSTRAINT TRIGGER finance_line_balanced
    AFTER INSERT OR UPDATE OR DELETE ON finance_journalline
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION finance_entry_balanced();
"""


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_default_chart")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
