-- The bank's guard: imported bank lines are the bank's word.
--
-- A line's content never changes after import, and a line reconciled with the books can
-- never be deleted. Its link can be undone only as a whole (entry, claim and time all
-- cleared) and only with an undo event (finance_matchevent, kind 'ontkoppeld') for this line
-- and this entry, written after the line was linked: the application cannot unlink quietly.
--
-- This file is the current definition. It is loaded by the migration whose number it carries;
-- a change is a new file with the next migration's number, loaded by that migration.

CREATE OR REPLACE FUNCTION finance_bankline_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.reconciled_at IS NOT NULL THEN
            RAISE EXCEPTION 'Bankregel % is afgeletterd en kan niet worden verwijderd.', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF (NEW.bank_account_id, NEW.statement_id, NEW.line_number, NEW.booking_date,
        NEW.value_date, NEW.amount, NEW.counterparty_name, NEW.counterparty_iban,
        NEW.description, NEW.bank_reference, NEW.dedup_key)
       IS DISTINCT FROM
       (OLD.bank_account_id, OLD.statement_id, OLD.line_number, OLD.booking_date,
        OLD.value_date, OLD.amount, OLD.counterparty_name, OLD.counterparty_iban,
        OLD.description, OLD.bank_reference, OLD.dedup_key) THEN
        RAISE EXCEPTION 'Bankregel % is ingelezen van de bank en kan niet worden gewijzigd.', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.reconciled_at IS NOT NULL AND
       (NEW.entry_id, NEW.claim_id, NEW.reconciled_at)
       IS DISTINCT FROM (OLD.entry_id, OLD.claim_id, OLD.reconciled_at) THEN
        IF NEW.entry_id IS NULL AND NEW.claim_id IS NULL AND NEW.reconciled_at IS NULL
           AND EXISTS (
               SELECT 1 FROM finance_matchevent e
               WHERE e.bank_line_id = OLD.id AND e.kind = 'ontkoppeld'
                 AND e.old ->> 'entry' = OLD.entry_id::text AND e.at >= OLD.reconciled_at
           ) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'Bankregel % is afgeletterd; de koppeling kan alleen ongedaan worden gemaakt met een vastgelegde reden.', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS finance_bankline_guard ON finance_bankline;
CREATE TRIGGER finance_bankline_guard
    BEFORE UPDATE OR DELETE ON finance_bankline
    FOR EACH ROW EXECUTE FUNCTION finance_bankline_guard();
