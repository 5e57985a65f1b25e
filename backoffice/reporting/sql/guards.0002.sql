-- A report snapshot is never changed or removed: a correction is a new version.
CREATE OR REPLACE FUNCTION reporting_snapshot_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Een rapportage wordt nooit gewijzigd of verwijderd; maak een nieuwe versie.'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

DROP TRIGGER IF EXISTS reporting_snapshot_immutable ON reporting_reportsnapshot;
CREATE TRIGGER reporting_snapshot_immutable
    BEFORE UPDATE OR DELETE ON reporting_reportsnapshot
    FOR EACH ROW EXECUTE FUNCTION reporting_snapshot_immutable();
