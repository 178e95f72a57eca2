CREATE TABLE "usages" (
	"code" text PRIMARY KEY NOT NULL,
	"text" text NOT NULL,
	"kind" text NOT NULL,
	"per_day" integer,
	"rank" integer DEFAULT 1000 NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"text_norm" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE INDEX "usages_text_idx" ON "usages" USING btree ("text_norm");
--> statement-breakpoint
CREATE TABLE "dose_limits" (
	"id" serial PRIMARY KEY NOT NULL,
	"ingredient" text NOT NULL,
	"kinds" text DEFAULT '' NOT NULL,
	"adult_max_mg_per_day" numeric(12, 3),
	"child_mg_per_kg_per_day" numeric(12, 3),
	"child_max_mg_per_day" numeric(12, 3),
	"note" text DEFAULT '' NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drug_classes" (
	"id" serial PRIMARY KEY NOT NULL,
	"class_name" text NOT NULL,
	"ingredient" text NOT NULL,
	"source" text NOT NULL
);
