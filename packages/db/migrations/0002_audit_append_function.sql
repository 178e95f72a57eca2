-- Appends one audit event in a single round trip. The head row's lock orders appends per facility;
-- the hash is sha256(prev_hash | seq | body), where body is the canonical JSON of the event's other
-- fields written by the application (packages/db/src/queries/audit.ts), so the verifier can recompute it.
-- plpgsql gives each statement a fresh snapshot: the previous hash read after the lock is the latest one.
CREATE FUNCTION karte_append_audit(
  p_facility uuid,
  p_occurred_at timestamptz,
  p_user uuid,
  p_patient uuid,
  p_action text,
  p_procedure text,
  p_outcome text,
  p_detail jsonb,
  p_body text
) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_prev text;
  v_hash text;
BEGIN
  INSERT INTO audit_heads (facility_id, seq, hash) VALUES (p_facility, 1, '')
    ON CONFLICT (facility_id) DO UPDATE SET seq = audit_heads.seq + 1
    RETURNING seq, hash INTO v_seq, v_prev;
  v_hash := encode(sha256(convert_to(v_prev || '|' || v_seq::text || '|' || p_body, 'UTF8')), 'hex');
  INSERT INTO audit_events (facility_id, seq, occurred_at, user_id, patient_id, action, procedure, outcome, detail, prev_hash, hash)
    VALUES (p_facility, v_seq, p_occurred_at, p_user, p_patient, p_action, p_procedure, p_outcome, p_detail, v_prev, v_hash);
  UPDATE audit_heads SET hash = v_hash WHERE facility_id = p_facility;
  RETURN v_seq;
END
$$;
