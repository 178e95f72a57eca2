-- The Bundle as the exact JSON text that is posted (jsonb keeps neither key order nor the original text), filled
-- for rows queued before this column existed; EXTERNAL: out of line and uncompressed, so that a lease reads it
-- without decompressing or converting anything.
ALTER TABLE "share_submissions" ADD COLUMN "body" text;--> statement-breakpoint
UPDATE "share_submissions" SET "body" = "bundle"::text;--> statement-breakpoint
ALTER TABLE "share_submissions" ALTER COLUMN "body" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "share_submissions" ALTER COLUMN "body" SET STORAGE EXTERNAL;
