-- The payout limit: what goes to an initiator never exceeds the award.
--
-- What goes out (advances and payouts against receipts) less what came back (returns) must
-- stay between zero and the initiative's awarded amount. The initiative's row is locked
-- first, so two payouts at the same time are checked one after the other; an award cannot be
-- lowered below what has been paid either. The application checks the same with a Dutch
-- message; this is the guard behind it.
--
-- This file is the current definition. It is loaded by the migration whose number it carries;
-- a change is a new file with the next migration's number, loaded by that migration.

CREATE OR REPLACE FUNCTION initiatives_payout_limit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    award numeric;
    paid_out numeric;
    paid_back numeric;
BEGIN
    SELECT awarded_amount INTO award
      FROM initiatives_initiative WHERE id = NEW.initiative_id FOR UPDATE;
    SELECT COALESCE(SUM(amount) FILTER (WHERE kind <> 'terug'), 0),
           COALESCE(SUM(amount) FILTER (WHERE kind = 'terug'), 0)
      INTO paid_out, paid_back
      FROM initiatives_payout WHERE initiative_id = NEW.initiative_id AND id <> NEW.id;
    IF NEW.kind = 'terug' THEN
        paid_back := paid_back + NEW.amount;
    ELSE
        paid_out := paid_out + NEW.amount;
    END IF;
    IF award IS NULL OR paid_out - paid_back > award THEN
        RAISE EXCEPTION 'Initiatief %: er zou % betaald zijn, meer dan het toegekende bedrag (%).',
            NEW.initiative_id, paid_out - paid_back, COALESCE(award, 0)
            USING ERRCODE = 'check_violation';
    END IF;
    IF paid_back > paid_out THEN
        RAISE EXCEPTION 'Initiatief %: er zou meer terugbetaald zijn dan betaald.', NEW.initiative_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS initiatives_payout_limit ON initiatives_payout;
CREATE TRIGGER initiatives_payout_limit
    BEFORE INSERT OR UPDATE OF amount, kind, initiative_id ON initiatives_payout
    FOR EACH ROW EXECUTE FUNCTION initiatives_payout_limit();

CREATE OR REPLACE FUNCTION initiatives_award_covers_payouts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    paid numeric;
BEGIN
    SELECT COALESCE(SUM(CASE WHEN kind = 'terug' THEN -amount ELSE amount END), 0) INTO paid
      FROM initiatives_payout WHERE initiative_id = NEW.id;
    IF paid > COALESCE(NEW.awarded_amount, 0) THEN
        RAISE EXCEPTION 'Initiatief %: er is al % betaald; het toegekende bedrag kan niet lager.',
            NEW.id, paid
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS initiatives_award_covers_payouts ON initiatives_initiative;
CREATE TRIGGER initiatives_award_covers_payouts
    BEFORE UPDATE OF awarded_amount ON initiatives_initiative
    FOR EACH ROW WHEN (NEW.awarded_amount IS DISTINCT FROM OLD.awarded_amount)
    EXECUTE FUNCTION initiatives_award_covers_payouts();
