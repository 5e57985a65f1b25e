-- Spending earmarked to a grant falls inside the grant's period, unless the entry records
-- why it is an exception (finance_journalentry.period_exception). "Spending" is a debit on a
-- cost account with a grant, on a posted entry that is not a correction; its day is the
-- entry's date, or for a paid expense claim the day the money was spent.

-- Once per UPDATE statement on the entries: the entries it posted.
CREATE OR REPLACE FUNCTION finance_entry_grant_period() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    found_entry bigint;
    found_grant text;
BEGIN
    EXECUTE format($sql$
        SELECT n.id, g.reference
        FROM new_rows n
        JOIN old_rows o ON o.id = n.id
        JOIN %1$I.finance_journalline l ON l.entry_id = n.id
        JOIN %1$I.finance_account a ON a.id = l.account_id
        JOIN %1$I.finance_grant g ON g.id = l.grant_id
        LEFT JOIN %1$I.finance_expenseclaim c ON n.origin_kind = 'declaratie' AND c.id = n.origin_id
        WHERE n.status = 'geboekt' AND o.status <> 'geboekt' AND n.kind <> 'correctie'
          AND n.period_exception = '' AND l.debit > 0 AND a.kind = 'lasten'
          AND coalesce(c.spent_on, n.date) NOT BETWEEN g.period_start AND g.period_end
        LIMIT 1
    $sql$, TG_TABLE_SCHEMA) INTO found_entry, found_grant;
    IF found_entry IS NOT NULL THEN
        RAISE EXCEPTION 'boeking % valt buiten de periode van subsidie % (geen uitzondering vastgelegd)',
            found_entry, found_grant USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

-- A grant's period may not shrink past spending already booked on it.
CREATE OR REPLACE FUNCTION finance_grant_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    found_entry bigint;
BEGIN
    EXECUTE format($sql$
        SELECT e.id
        FROM %1$I.finance_journalline l
        JOIN %1$I.finance_journalentry e ON e.id = l.entry_id
        JOIN %1$I.finance_account a ON a.id = l.account_id
        LEFT JOIN %1$I.finance_expenseclaim c ON e.origin_kind = 'declaratie' AND c.id = e.origin_id
        WHERE l.grant_id = $1 AND e.status = 'geboekt' AND e.kind <> 'correctie'
          AND e.period_exception = '' AND l.debit > 0 AND a.kind = 'lasten'
          AND coalesce(c.spent_on, e.date) NOT BETWEEN $2 AND $3
        LIMIT 1
    $sql$, TG_TABLE_SCHEMA) INTO found_entry USING NEW.id, NEW.period_start, NEW.period_end;
    IF found_entry IS NOT NULL THEN
        RAISE EXCEPTION 'subsidie %: boeking % zou buiten de periode vallen', NEW.reference,
            found_entry USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
