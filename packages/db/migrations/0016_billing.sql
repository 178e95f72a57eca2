CREATE TABLE "bill_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"amount_yen" integer NOT NULL,
	"method" text NOT NULL,
	"tendered_yen" integer,
	"business_date" date NOT NULL,
	"received_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bill_prints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"printed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bill_versions" (
	"bill_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"facility_id" uuid NOT NULL,
	"content" jsonb NOT NULL,
	"points" integer NOT NULL,
	"charge_yen" integer NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bill_versions_bill_id_version_pk" PRIMARY KEY("bill_id","version"),
	CONSTRAINT "bill_versions_correction_reason" CHECK (version = 1 or reason <> '')
);
--> statement-breakpoint
CREATE TABLE "billing_settings" (
	"facility_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"content" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"facility_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"visit_date" date NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tariff_items" (
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"name" text NOT NULL,
	"name_norm" text COLLATE "C" NOT NULL,
	"kana_norm" text COLLATE "C" NOT NULL,
	"cols" jsonb NOT NULL,
	CONSTRAINT "tariff_items_kind_code_valid_from_pk" PRIMARY KEY("kind","code","valid_from")
);
--> statement-breakpoint
ALTER TABLE "bill_payments" ADD CONSTRAINT "bill_payments_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_payments" ADD CONSTRAINT "bill_payments_bill_id_bills_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_payments" ADD CONSTRAINT "bill_payments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_payments" ADD CONSTRAINT "bill_payments_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_prints" ADD CONSTRAINT "bill_prints_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_prints" ADD CONSTRAINT "bill_prints_bill_id_bills_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_prints" ADD CONSTRAINT "bill_prints_printed_by_users_id_fk" FOREIGN KEY ("printed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_versions" ADD CONSTRAINT "bill_versions_bill_id_bills_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_versions" ADD CONSTRAINT "bill_versions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_versions" ADD CONSTRAINT "bill_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_settings" ADD CONSTRAINT "billing_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "public"."facilities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bills" ADD CONSTRAINT "bills_visit_id_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bill_payments_bill_idx" ON "bill_payments" USING btree ("bill_id");--> statement-breakpoint
CREATE INDEX "bill_payments_day_idx" ON "bill_payments" USING btree ("facility_id","business_date");--> statement-breakpoint
CREATE INDEX "bill_payments_patient_idx" ON "bill_payments" USING btree ("facility_id","patient_id");--> statement-breakpoint
CREATE INDEX "bill_prints_bill_idx" ON "bill_prints" USING btree ("bill_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "bills_visit_key" ON "bills" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "bills_patient_idx" ON "bills" USING btree ("facility_id","patient_id","visit_date");--> statement-breakpoint
CREATE INDEX "bills_date_idx" ON "bills" USING btree ("facility_id","visit_date");--> statement-breakpoint
CREATE INDEX "tariff_items_name_idx" ON "tariff_items" USING btree ("name_norm");--> statement-breakpoint
CREATE INDEX "tariff_items_kana_idx" ON "tariff_items" USING btree ("kana_norm");--> statement-breakpoint
-- 会計 versions and 入金 are records: a correction is a new version, a refund a negative payment.
CREATE TRIGGER bill_versions_immutable BEFORE UPDATE OR DELETE ON bill_versions
  FOR EACH ROW EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER bill_versions_no_truncate BEFORE TRUNCATE ON bill_versions
  FOR EACH STATEMENT EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER bill_payments_immutable BEFORE UPDATE OR DELETE ON bill_payments
  FOR EACH ROW EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER bill_payments_no_truncate BEFORE TRUNCATE ON bill_payments
  FOR EACH STATEMENT EXECUTE FUNCTION karte_refuse_change();
--> statement-breakpoint
CREATE TRIGGER bill_prints_immutable BEFORE UPDATE OR DELETE ON bill_prints
  FOR EACH ROW EXECUTE FUNCTION karte_refuse_change();
