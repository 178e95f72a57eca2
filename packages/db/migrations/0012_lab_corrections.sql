-- 修正 of a filed lab result: a new row that takes the old one's place (the old row stays, immutable by the
-- trigger of 0009); one correction per row, so corrections form a chain, and never without a reason.
ALTER TABLE "lab_results" ADD COLUMN "supersedes" uuid;--> statement-breakpoint
ALTER TABLE "lab_results" ADD COLUMN "correction_reason" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_supersedes_lab_results_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."lab_results"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lab_results_supersedes_key" ON "lab_results" USING btree ("supersedes") WHERE supersedes is not null;--> statement-breakpoint
ALTER TABLE "lab_results" ADD CONSTRAINT "lab_results_correction_reason" CHECK (supersedes is null or correction_reason <> '');