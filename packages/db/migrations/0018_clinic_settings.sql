-- クリニック設定: the clinic's own 診療科 (name + SS-MIX2 code) instead of a fixed list, and a version for
-- optimistic concurrency (two administrators do not overwrite each other).
ALTER TABLE "facilities" ADD COLUMN "departments" jsonb DEFAULT '[{"code":"01","name":"内科"},{"code":"09","name":"小児科"},{"code":"10","name":"外科"},{"code":"11","name":"整形外科"},{"code":"19","name":"皮膚科"}]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "facilities" ADD COLUMN "settings_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- ログイン中の端末: a reference to show and revoke a session by (the id is the token's hash and stays
-- server-side), and where it was started from.
ALTER TABLE "sessions" ADD COLUMN "ref" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "client_address" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "user_agent" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_ref_key" ON "sessions" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "sessions_facility_open_index" ON "sessions" USING btree ("facility_id") WHERE "ended_at" IS NULL;
