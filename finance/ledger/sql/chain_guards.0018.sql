-- The ledger's tables are never emptied wholesale, and an anchor of the hash chain is
-- written once and never changed or removed. Like the other guards they live in the
-- tenant schema. (Someone who owns the tables can drop these triggers; the keyed chain and
-- its anchors are what then still tell: see ADR 0010.)

CREATE OR REPLACE FUNCTION finance_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'de tabel % hoort bij de boeken en kan niet worden leeggemaakt (TRUNCATE)',
        TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;

CREATE OR REPLACE FUNCTION finance_chainanchor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'een ankerpunt van de keten (id %) kan niet worden gewijzigd of verwijderd',
        OLD.id USING ERRCODE = 'restrict_violation';
END $$;
