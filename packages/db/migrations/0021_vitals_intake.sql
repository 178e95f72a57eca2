-- バイタル (issue #15): one measurement per row, any subset of the values but at least one. Filed rows never
-- change (trigger); 修正 is a new row that takes the old one's place, with a reason (as lab_results, 0012).
-- The CHECKs repeat the contract's plausible ranges (packages/domain/src/contracts/vitals.ts), so that no
-- path around the API files a 体温 of 368.
CREATE TABLE "vital_signs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"visit_id" uuid,
	"measured_at" timestamp with time zone NOT NULL,
	"temperature" numeric(3, 1),
	"systolic" integer,
	"diastolic" integer,
	"pulse" integer,
	"spo2" integer,
	"height_cm" numeric(4, 1),
	"weight_kg" numeric(5, 2),
	"supersedes" uuid,
	"correction_reason" text DEFAULT '' NOT NULL,
	"entered_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vital_signs_some_value" CHECK (num_nonnulls(temperature, systolic, diastolic, pulse, spo2, height_cm, weight_kg) > 0),
	CONSTRAINT "vital_signs_bp_pair" CHECK ((systolic is null) = (diastolic is null) and (systolic is null or systolic > diastolic)),
	CONSTRAINT "vital_signs_ranges" CHECK ((temperature is null or temperature between 30 and 45) and (systolic is null or systolic between 40 and 300) and (diastolic is null or diastolic between 20 and 200) and (pulse is null or pulse between 20 and 250) and (spo2 is null or spo2 between 50 and 100) and (height_cm is null or height_cm between 20 and 250) and (weight_kg is null or weight_kg between 0.2 and 300)),
	CONSTRAINT "vital_signs_correction_reason" CHECK (supersedes is null or correction_reason <> '')
);
--> statement-breakpoint
-- 問診: each save a new version of the visit's 問診 (the older versions stay); a save based on an older version
-- collides on the unique (visit, version) and is refused as a conflict.
CREATE TABLE "intakes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"chief_complaint" text DEFAULT '' NOT NULL,
	"course" text DEFAULT '' NOT NULL,
	"medication" text DEFAULT '' NOT NULL,
	"allergy" text NOT NULL,
	"allergy_detail" text DEFAULT '' NOT NULL,
	"pregnancy" text NOT NULL,
	"entered_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intakes_version_positive" CHECK (version > 0),
	CONSTRAINT "intakes_allergy" CHECK (allergy in ('yes', 'no', 'unknown')),
	CONSTRAINT "intakes_pregnancy" CHECK (pregnancy in ('pregnant', 'nursing', 'possible', 'no', 'na'))
);
--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_supersedes_vital_signs_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."vital_signs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intakes" ADD CONSTRAINT "intakes_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intakes" ADD CONSTRAINT "intakes_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intakes" ADD CONSTRAINT "intakes_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intakes" ADD CONSTRAINT "intakes_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vital_signs_patient_idx" ON "vital_signs" USING btree ("facility_id","patient_id","measured_at");--> statement-breakpoint
CREATE UNIQUE INDEX "vital_signs_supersedes_key" ON "vital_signs" USING btree ("supersedes") WHERE supersedes is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "intakes_visit_version_key" ON "intakes" USING btree ("facility_id","visit_id","version");--> statement-breakpoint
-- 電子保存の三原則: a filed measurement or 問診 version is never changed or removed, whoever asks.
CREATE TRIGGER vital_signs_immutable BEFORE UPDATE OR DELETE ON vital_signs
  FOR EACH ROW EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER vital_signs_no_truncate BEFORE TRUNCATE ON vital_signs
  FOR EACH STATEMENT EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER intakes_immutable BEFORE UPDATE OR DELETE ON intakes
  FOR EACH ROW EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER intakes_no_truncate BEFORE TRUNCATE ON intakes
  FOR EACH STATEMENT EXECUTE FUNCTION karte_refuse_change();
