DROP INDEX "users_username_key";--> statement-breakpoint
DROP INDEX "users_facility_id_index";--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "end_reason" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_facility_username_key" ON "users" USING btree ("facility_id","username");