CREATE TABLE "share_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"submission_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"message" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_consents" (
	"patient_id" uuid PRIMARY KEY NOT NULL,
	"facility_id" uuid NOT NULL,
	"withdrawn" boolean NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "share_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"action" text DEFAULT 'send' NOT NULL,
	"identifier" text NOT NULL,
	"entry_id" uuid,
	"bundle" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"sent_version" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text DEFAULT '' NOT NULL,
	"sent_at" timestamp with time zone,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "share_attempts" ADD CONSTRAINT "share_attempts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_attempts" ADD CONSTRAINT "share_attempts_submission_id_share_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "public"."share_submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_consents" ADD CONSTRAINT "share_consents_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_consents" ADD CONSTRAINT "share_consents_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_consents" ADD CONSTRAINT "share_consents_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_submissions" ADD CONSTRAINT "share_submissions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "share_submissions" ADD CONSTRAINT "share_submissions_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "share_attempts_submission_idx" ON "share_attempts" USING btree ("submission_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "share_submissions_identifier_key" ON "share_submissions" USING btree ("facility_id","identifier");--> statement-breakpoint
CREATE INDEX "share_submissions_patient_idx" ON "share_submissions" USING btree ("facility_id","patient_id");--> statement-breakpoint
CREATE INDEX "share_submissions_due_idx" ON "share_submissions" USING btree ("next_attempt_at") WHERE status = 'pending' and sent_version < version;