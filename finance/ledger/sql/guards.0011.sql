-- The ledger's guards: PostgreSQL itself keeps the books honest.
--
-- - posted entries never change or disappear (entries and their lines);
-- - a posted entry is balanced: at least two lines, debits equal credits, not zero
--   (a deferred constraint trigger, checked at commit, so lines can follow the entry);
-- - nothing is posted with a date inside a closed year, nor in a year that does not cover it;
-- - a closed year is only reopened with a request approved by treasurer and chair;
-- - years do not overlap; an account used by posted lines keeps its code and kind.
--
-- The functions live in each group's schema (cloned with it) and find their tables through
-- TG_TABLE_SCHEMA, so they hold whatever the session's search_path is.
--
-- This file is the current definition. It is loaded by the migration whose number it carries;
-- a change is a new file with the next migration's number, loaded by that migration.

CREATE OR REPLACE FUNCTION finance_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    closed_year integer;
    y record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'geboekt' THEN
        RAISE EXCEPTION 'Boeking % (id %) is geboekt en kan niet meer worden gewijzigd of verwijderd; maak een correctieboeking.',
            OLD.number, OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.status = 'geboekt' THEN
        EXECUTE format('SELECT year, start, "end", status FROM %I.finance_financialyear WHERE id = $1',
                       TG_TABLE_SCHEMA) INTO y USING NEW.year_id;
        IF NEW.date < y.start OR NEW.date > y."end" THEN
            RAISE EXCEPTION 'De datum % valt niet in boekjaar %.', NEW.date, y.year
                USING ERRCODE = 'check_violation';
        END IF;
        EXECUTE format('SELECT year FROM %I.finance_financialyear WHERE status = ''gesloten'' AND $1 BETWEEN start AND "end" LIMIT 1',
                       TG_TABLE_SCHEMA) INTO closed_year USING NEW.date;
        IF closed_year IS NOT NULL THEN
            RAISE EXCEPTION 'Boekjaar % is afgesloten: er kan niet meer op % worden geboekt.', closed_year, NEW.date
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS finance_entry_guard ON finance_journalentry;
CREATE TRIGGER finance_entry_guard
    BEFORE INSERT OR UPDATE OR DELETE ON finance_journalentry
    FOR EACH ROW EXECUTE FUNCTION finance_entry_guard();

CREATE OR REPLACE FUNCTION finance_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_status text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('SELECT status FROM %I.finance_journalentry WHERE id = $1', TG_TABLE_SCHEMA)
            INTO entry_status USING OLD.entry_id;
        IF entry_status = 'geboekt' THEN
            RAISE EXCEPTION 'Regels van een geboekte boeking (id %) kunnen niet worden gewijzigd of verwijderd.', OLD.entry_id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format('SELECT status FROM %I.finance_journalentry WHERE id = $1', TG_TABLE_SCHEMA)
            INTO entry_status USING NEW.entry_id;
        IF entry_status = 'geboekt' THEN
            RAISE EXCEPTION 'Aan een geboekte boeking (id %) kunnen geen regels worden toegevoegd.', NEW.entry_id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$;

DROP TRIGGER IF EXISTS finance_line_guard ON finance_journalline;
CREATE TRIGGER finance_line_guard
    BEFORE INSERT OR UPDATE OR DELETE ON finance_journalline
    FOR EACH ROW EXECUTE FUNCTION finance_line_guard();

DROP TRIGGER IF EXISTS finance_line_balanced ON finance_journalline;

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

DROP TRIGGER IF EXISTS finance_entry_balanced ON finance_journalentry;
CREATE CONSTRAINT TRIGGER finance_entry_balanced
    AFTER INSERT OR UPDATE ON finance_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.status = 'geboekt')
    EXECUTE FUNCTION finance_entry_balanced();

CREATE OR REPLACE FUNCTION finance_year_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    other integer;
    approved integer;
    posted integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT count(*) FROM %I.finance_journalentry WHERE year_id = $1', TG_TABLE_SCHEMA)
            INTO posted USING OLD.id;
        IF posted > 0 THEN
            RAISE EXCEPTION 'Boekjaar % heeft boekingen en kan niet worden verwijderd.', OLD.year
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    EXECUTE format('SELECT year FROM %I.finance_financialyear WHERE id <> $1 AND start <= $3 AND "end" >= $2 LIMIT 1',
                   TG_TABLE_SCHEMA) INTO other USING NEW.id, NEW.start, NEW."end";
    IF other IS NOT NULL THEN
        RAISE EXCEPTION 'Boekjaar % overlapt met boekjaar %.', NEW.year, other USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.start <> OLD.start OR NEW."end" <> OLD."end") THEN
            EXECUTE format('SELECT count(*) FROM %I.finance_journalentry WHERE year_id = $1 AND status = ''geboekt''', TG_TABLE_SCHEMA)
                INTO posted USING OLD.id;
            IF posted > 0 THEN
                RAISE EXCEPTION 'Boekjaar % heeft boekingen: begin en eind liggen vast.', OLD.year
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        IF OLD.status = 'gesloten' AND NEW.status <> 'gesloten' THEN
            EXECUTE format('SELECT count(*) FROM %I.finance_reopenrequest WHERE year_id = $1 AND completed_at IS NULL AND treasurer_id IS NOT NULL AND chair_id IS NOT NULL AND treasurer_id <> chair_id',
                           TG_TABLE_SCHEMA) INTO approved USING OLD.id;
            IF approved = 0 THEN
                RAISE EXCEPTION 'Boekjaar % heropenen kan alleen met goedkeuring van penningmeester en voorzitter.', OLD.year
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS finance_year_guard ON finance_financialyear;
CREATE TRIGGER finance_year_guard
    BEFORE INSERT OR UPDATE OR DELETE ON finance_financialyear
    FOR EACH ROW EXECUTE FUNCTION finance_year_guard();

CREATE OR REPLACE FUNCTION finance_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    used integer;
BEGIN
    IF TG_OP = 'DELETE' OR NEW.code <> OLD.code OR NEW.kind <> OLD.kind THEN
        EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I.finance_journalline WHERE account_id = $1 LIMIT 1) used',
                       TG_TABLE_SCHEMA) INTO used USING OLD.id;
        IF used > 0 THEN
            RAISE EXCEPTION 'Rekening % is gebruikt in boekingen: nummer en soort liggen vast.', OLD.code
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS finance_account_guard ON finance_account;
CREATE TRIGGER finance_account_guard
    BEFORE UPDATE OR DELETE ON finance_account
    FOR EACH ROW EXECUTE FUNCTION finance_account_guard();
