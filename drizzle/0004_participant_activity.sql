ALTER TABLE "message_participants" ADD COLUMN "activity_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- Added by hand after generation: existing rows take their thread's activity, not the migration's time.
UPDATE "message_participants" mp SET "activity_at" = coalesce(t."last_message_at", t."created_at") FROM "message_threads" t WHERE t."id" = mp."thread_id";--> statement-breakpoint
CREATE INDEX "idx_participants_user_activity" ON "message_participants" USING btree ("user_id","activity_at","thread_id");