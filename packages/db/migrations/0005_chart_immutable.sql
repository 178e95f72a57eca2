-- 電子保存の三原則 (真正性): a confirmed chart version is never changed or removed, whoever asks —
-- the application's own connection included. The one change allowed is the responsible doctor's
-- approval of a proxy-entered version: approved_by/approved_at set once, nothing else touched.
CREATE FUNCTION karte_entry_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.approved_by IS NULL AND NEW.approved_by IS NOT NULL AND NEW.approved_at IS NOT NULL
     AND NEW.approved_by = OLD.responsible_doctor
     AND NEW.entry_id = OLD.entry_id AND NEW.version = OLD.version AND NEW.facility_id = OLD.facility_id
     AND NEW.content = OLD.content AND NEW.entered_by = OLD.entered_by
     AND NEW.responsible_doctor = OLD.responsible_doctor AND NEW.reason = OLD.reason
     AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'karte: % of a confirmed chart version is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER entry_versions_immutable BEFORE UPDATE OR DELETE ON entry_versions
  FOR EACH ROW EXECUTE FUNCTION karte_entry_versions_guard();
--> statement-breakpoint
CREATE TRIGGER entry_versions_no_truncate BEFORE TRUNCATE ON entry_versions
  FOR EACH STATEMENT EXECUTE FUNCTION karte_refuse_change();
