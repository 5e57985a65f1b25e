-- Day totals (finance_accountdaytotal): what the posted lines of a day add up to, per
-- account, grant and budget line. Only PostgreSQL writes them, when entries are posted.
-- Like the other ledger functions these live in the tenant schema and find their tables
-- through TG_TABLE_SCHEMA, whatever the session's search_path is.

-- Once per UPDATE statement on the entries: the entries that statement posted add their
-- lines to the day totals. Posting is the only way a line starts to count (a posted entry
-- and its lines never change again; finance_entry_guard, finance_line_guard), so the totals
-- only ever grow. A batch posted in one statement is added in one INSERT.
CREATE OR REPLACE FUNCTION finance_daytotal_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO %1$I.finance_accountdaytotal AS t
            (account_id, date, grant_id, budget_line_id, debit, credit, lines)
        SELECT l.account_id, n.date, l.grant_id, l.budget_line_id,
               sum(l.debit), sum(l.credit), count(*)
        FROM new_rows n
        JOIN old_rows o ON o.id = n.id
        JOIN %1$I.finance_journalline l ON l.entry_id = n.id
        WHERE n.status = 'geboekt' AND o.status <> 'geboekt'
        GROUP BY l.account_id, n.date, l.grant_id, l.budget_line_id
        ON CONFLICT ON CONSTRAINT day_total_once DO UPDATE
        SET debit = t.debit + EXCLUDED.debit,
            credit = t.credit + EXCLUDED.credit,
            lines = t.lines + EXCLUDED.lines
    $sql$, TG_TABLE_SCHEMA);
    RETURN NULL;
END $$;

-- Nobody else writes them: a statement sent by a client runs this guard at trigger depth 1,
-- the posting trigger's own INSERT at depth 2.
CREATE OR REPLACE FUNCTION finance_daytotal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'Dagtotalen van het grootboek houdt de database zelf bij, bij het boeken; ze kunnen niet rechtstreeks worden gewijzigd.'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
