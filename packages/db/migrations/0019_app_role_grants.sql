-- Least privilege (issue #14): a batch of audit events appended by one function, as karte_append_audit appends
-- one, so that the application role needs no INSERT on audit_events nor UPDATE on audit_heads — with
-- DATABASE_OWNER_URL both functions run as the owner (SECURITY DEFINER, set after every migration run by
-- packages/db/src/roles.ts). p_events: a JSON array, in order, of {occurredAt, userId, patientId, action,
-- procedure, outcome, detail, body}; body is the canonical text the hash covers (packages/db/src/queries/audit.ts).
-- The head is advanced by the batch size at once; its row lock orders appends exactly as karte_append_audit does.
CREATE FUNCTION karte_append_audit_many(p_facility uuid, p_events jsonb) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_n bigint := jsonb_array_length(p_events);
  v_seq bigint;
  v_prev text;
  v_hash text;
  e jsonb;
BEGIN
  IF v_n = 0 THEN
    RETURN NULL;
  END IF;
  INSERT INTO audit_heads (facility_id, seq, hash) VALUES (p_facility, v_n, '')
    ON CONFLICT (facility_id) DO UPDATE SET seq = audit_heads.seq + v_n
    RETURNING seq - v_n, hash INTO v_seq, v_prev;
  FOR e IN SELECT x.value FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(value, n) ORDER BY x.n LOOP
    v_seq := v_seq + 1;
    v_hash := encode(sha256(convert_to(v_prev || '|' || v_seq::text || '|' || (e->>'body'), 'UTF8')), 'hex');
    INSERT INTO audit_events (facility_id, seq, occurred_at, user_id, patient_id, action, procedure, outcome, detail, prev_hash, hash)
      VALUES (p_facility, v_seq, (e->>'occurredAt')::timestamptz, (e->>'userId')::uuid, (e->>'patientId')::uuid,
        e->>'action', e->>'procedure', e->>'outcome', e->'detail', v_prev, v_hash);
    v_prev := v_hash;
  END LOOP;
  UPDATE audit_heads SET hash = v_prev WHERE facility_id = p_facility;
  RETURN v_seq;
END
$$;
