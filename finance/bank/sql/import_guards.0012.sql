-- What the bank said beyond a line's content is the bank's word too.
--
-- Whether a line is a reversal, and the transactions of a batch entry ("verzamelboeking"),
-- never change after import. A trigger of its own beside finance_bankline_guard, so that
-- guard's definition stays as it is.
--
-- This file is the current definition. It is loaded by the migration whose number it carries;
-- a change is a new file with the next migration's number, loaded by that migration.

CREATE OR REPLACE FUNCTION finance_bank_import_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Wat de bank in het afschrift zei (%), kan niet worden gewijzigd.', TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
END $$;

DROP TRIGGER IF EXISTS finance_bankline_reversal_guard ON finance_bankline;
CREATE TRIGGER finance_bankline_reversal_guard
    BEFORE UPDATE OF is_reversal ON finance_bankline
    FOR EACH ROW WHEN (OLD.is_reversal IS DISTINCT FROM NEW.is_reversal)
    EXECUTE FUNCTION finance_bank_import_immutable();

DROP TRIGGER IF EXISTS finance_banklinepart_guard ON finance_banklinepart;
CREATE TRIGGER finance_banklinepart_guard
    BEFORE UPDATE ON finance_banklinepart
    FOR EACH ROW EXECUTE FUNCTION finance_bank_import_immutable();
