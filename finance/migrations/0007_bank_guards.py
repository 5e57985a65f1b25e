"""Bank lines are the bank's word: PostgreSQL keeps them as imported.

- what the bank said (account, date, amount, counterparty, description, reference, key)
  never changes after import;
- a reconciled line stays reconciled with the same entry and cannot be deleted.

Like the ledger guards, the function lives in the tenant schema and is cloned with it.
"""

from django.db import migrations

SQL = r"""
CREATE FUNCTION finance_bankline_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
        RAISE EXCEPTION 'Bankregel % is afgeletterd; de koppeling kan niet meer worden veranderd.', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER finance_bankline_guard
    BEFORE UPDATE OR DELETE ON finance_bankline
    FOR EACH ROW EXECUTE FUNCTION finance_bankline_guard();
"""

REVERSE_SQL = r"""
DROP TRIGGER finance_bankline_guard ON finance_bankline;
DROP FUNCTION finance_bankline_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("finance", "0006_bank_and_claims")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
