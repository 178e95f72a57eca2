-- Races left several current coverages for one patient (issue #12-12): keep the newest current, end the others
-- (kept in the history with their values), so that the unique index below can hold from now on.
UPDATE "coverages" c SET "ended_at" = now()
WHERE c."ended_at" IS NULL AND EXISTS (
  SELECT 1 FROM "coverages" n
  WHERE n."facility_id" = c."facility_id" AND n."patient_id" = c."patient_id" AND n."ended_at" IS NULL
    AND (n."created_at", n."id") > (c."created_at", c."id"));--> statement-breakpoint
CREATE UNIQUE INDEX "coverages_current_key" ON "coverages" USING btree ("facility_id","patient_id") WHERE ended_at is null;
