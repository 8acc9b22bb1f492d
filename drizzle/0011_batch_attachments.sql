ALTER TABLE "message_batches" ADD COLUMN "attachment_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "batch_id" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_batch_id_message_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."message_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_uploads_batch" ON "uploads" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "idx_uploads_storage_key" ON "uploads" USING btree ("storage_key");