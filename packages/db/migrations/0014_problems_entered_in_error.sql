ALTER TABLE "problems" ADD COLUMN "error_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "error_by" uuid;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "error_reason" text;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_error_by_users_id_fk" FOREIGN KEY ("error_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_entered_in_error" CHECK ((error_at is null and error_by is null and error_reason is null) or (error_at is not null and error_by is not null and error_reason <> ''));