-- 予約: a patient's appointment with a doctor (or any doctor of a 診療科) at a time of a day. Booked, then
-- checked in (linked to the visit it became), marked 不来院, or cancelled with a reason; never deleted.
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"doctor_id" uuid,
	"department" text NOT NULL,
	"appointment_date" date NOT NULL,
	"start_minute" smallint NOT NULL,
	"duration_minutes" smallint NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"memo" text DEFAULT '' NOT NULL,
	"state" text DEFAULT 'booked' NOT NULL,
	"visit_id" uuid,
	"cancel_reason" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appointments_state_check" CHECK ("state" IN ('booked', 'checked_in', 'no_show', 'cancelled')),
	CONSTRAINT "appointments_time_check" CHECK ("start_minute" >= 0 AND "duration_minutes" > 0 AND "start_minute" + "duration_minutes" <= 1440)
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_doctor_id_users_id_fk" FOREIGN KEY ("doctor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointments_day_idx" ON "appointments" USING btree ("facility_id","appointment_date","start_minute");--> statement-breakpoint
CREATE INDEX "appointments_doctor_day_idx" ON "appointments" USING btree ("facility_id","doctor_id","appointment_date");--> statement-breakpoint
CREATE INDEX "appointments_patient_idx" ON "appointments" USING btree ("facility_id","patient_id","appointment_date");--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_visit_key" ON "appointments" USING btree ("visit_id") WHERE "visit_id" IS NOT NULL;
