-- Receipt needs (finance_receiptneed): posted expenses that ask for a receipt, and whether
-- they have one. Only these triggers write them. Like the other ledger functions they live
-- in the tenant schema and find their tables through TG_TABLE_SCHEMA.

-- Once per UPDATE statement on the entries: entries that statement posted with an expense
-- (a debit on a cost account; corrections excluded) start to ask for a receipt; entries
-- whose correction it posted stop asking.
CREATE OR REPLACE FUNCTION finance_receiptneed_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO %1$I.finance_receiptneed (entry_id, date, grant_ids, has_receipt, reversed)
        SELECT n.id, n.date,
               coalesce(array_agg(DISTINCT l.grant_id) FILTER (WHERE l.grant_id IS NOT NULL), '{}'),
               EXISTS (SELECT 1 FROM %1$I.finance_receipt r WHERE r.entry_id = n.id),
               false
        FROM new_rows n
        JOIN old_rows o ON o.id = n.id
        JOIN %1$I.finance_journalline l ON l.entry_id = n.id
        JOIN %1$I.finance_account a ON a.id = l.account_id
        WHERE n.status = 'geboekt' AND o.status <> 'geboekt' AND n.kind <> 'correctie'
          AND l.debit > 0 AND a.kind = 'lasten'
        GROUP BY n.id, n.date
    $sql$, TG_TABLE_SCHEMA);
    EXECUTE format($sql$
        UPDATE %1$I.finance_receiptneed SET reversed = true
        WHERE entry_id IN (
            SELECT n.reverses_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.status = 'geboekt' AND o.status <> 'geboekt' AND n.reverses_id IS NOT NULL
        )
    $sql$, TG_TABLE_SCHEMA);
    RETURN NULL;
END $$;

-- Once per statement on the receipts: the entries whose receipts it added, moved or removed
-- are looked at again.
CREATE OR REPLACE FUNCTION finance_receiptneed_receipts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        touched := 'SELECT entry_id FROM new_rows';
    ELSIF TG_OP = 'DELETE' THEN
        touched := 'SELECT entry_id FROM old_rows';
    ELSE
        touched := 'SELECT entry_id FROM new_rows UNION SELECT entry_id FROM old_rows';
    END IF;
    EXECUTE format($sql$
        UPDATE %1$I.finance_receiptneed t
        SET has_receipt = EXISTS (SELECT 1 FROM %1$I.finance_receipt r WHERE r.entry_id = t.entry_id)
        WHERE t.entry_id IN (%2$s)
    $sql$, TG_TABLE_SCHEMA, touched);
    RETURN NULL;
END $$;
