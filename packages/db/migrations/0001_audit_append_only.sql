-- The audit trail is append-only: the database itself refuses to change or remove an event.
CREATE FUNCTION karte_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'karte: % on % is not allowed (append-only)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('doctor', 'nurse', 'clerk', 'admin'));
--> statement-breakpoint
ALTER TABLE patients ADD CONSTRAINT patients_sex_check CHECK (sex IN ('male', 'female', 'other', 'unknown'));
--> statement-breakpoint
ALTER TABLE facilities ADD CONSTRAINT facilities_code_check CHECK (institution_code ~ '^[0-9]{10}$');
