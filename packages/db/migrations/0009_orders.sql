CREATE TABLE "drug_interactions" (
	"id" serial PRIMARY KEY NOT NULL,
	"a_ingredient" text NOT NULL,
	"a_kinds" text DEFAULT '' NOT NULL,
	"b_ingredient" text NOT NULL,
	"b_kinds" text DEFAULT '' NOT NULL,
	"level" text NOT NULL,
	"reason" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lab_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"item" text NOT NULL,
	"name" text NOT NULL,
	"specimen" text DEFAULT '' NOT NULL,
	"method" text DEFAULT '' NOT NULL,
	"group" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lab_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"rows" integer NOT NULL,
	"imported_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lab_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"collected_on" date NOT NULL,
	"code" text NOT NULL,
	"code_system" text NOT NULL,
	"name" text NOT NULL,
	"value" text NOT NULL,
	"value_num" numeric(14, 4),
	"unit" text DEFAULT '' NOT NULL,
	"ref_low" numeric(14, 4),
	"ref_high" numeric(14, 4),
	"ref_text" text DEFAULT '' NOT NULL,
	"flag" text DEFAULT '' NOT NULL,
	"import_id" uuid,
	"entered_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "facilities" ADD COLUMN "address" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "facilities" ADD COLUMN "phone" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "drugs" ADD COLUMN "ingredient_norm" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "lab_imports" ADD CONSTRAINT "lab_imports_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_imports" ADD CONSTRAINT "lab_imports_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_import_id_lab_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."lab_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lab_imports_file_key" ON "lab_imports" USING btree ("facility_id","sha256");--> statement-breakpoint
CREATE INDEX "lab_results_trend_idx" ON "lab_results" USING btree ("facility_id","patient_id","code","collected_on");--> statement-breakpoint
CREATE INDEX "lab_results_date_idx" ON "lab_results" USING btree ("facility_id","patient_id","collected_on");--> statement-breakpoint
CREATE INDEX "lab_results_import_idx" ON "lab_results" USING btree ("import_id") WHERE import_id is not null;--> statement-breakpoint
CREATE INDEX "drugs_ingredient_idx" ON "drugs" USING btree ("ingredient_norm");--> statement-breakpoint
CREATE INDEX "drugs_code_idx" ON "drugs" USING btree (code COLLATE "C");--> statement-breakpoint
-- 電子保存の三原則: a filed lab result is never changed or removed, whoever asks.
CREATE TRIGGER lab_results_immutable BEFORE UPDATE OR DELETE ON lab_results
  FOR EACH ROW EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER lab_results_no_truncate BEFORE TRUNCATE ON lab_results
  FOR EACH STATEMENT EXECUTE FUNCTION karte_refuse_change();
