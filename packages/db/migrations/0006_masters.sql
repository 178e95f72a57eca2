CREATE TABLE "diseases" (
	"code" text PRIMARY KEY NOT NULL,
	"icd10" text DEFAULT '' NOT NULL,
	"name" text NOT NULL,
	"name_kana" text NOT NULL,
	"abbrev" text DEFAULT '' NOT NULL,
	"exchange_code" text DEFAULT '' NOT NULL,
	"name_norm" text COLLATE "C" NOT NULL,
	"kana_norm" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drugs" (
	"code" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ingredient" text NOT NULL,
	"spec" text DEFAULT '' NOT NULL,
	"name" text NOT NULL,
	"maker" text DEFAULT '' NOT NULL,
	"price" numeric(12, 2),
	"name_norm" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "master_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"sha256" text NOT NULL,
	"rows" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "diseases_kana_idx" ON "diseases" USING btree ("kana_norm");--> statement-breakpoint
CREATE INDEX "diseases_name_idx" ON "diseases" USING btree ("name_norm");--> statement-breakpoint
CREATE INDEX "drugs_name_idx" ON "drugs" USING btree ("name_norm");