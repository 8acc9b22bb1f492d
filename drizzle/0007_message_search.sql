-- Full-text search over message content (issue 15): a generated tsvector (English stems, then the
-- simple words) and its GIN index, and thread_id alone for the thread bitmap search ANDs with it.
-- Adding a stored generated column rewrites the table once.
ALTER TABLE "messages" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content) || to_tsvector('simple'::regconfig, content)) STORED;--> statement-breakpoint
CREATE INDEX "idx_messages_search" ON "messages" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "idx_messages_thread" ON "messages" USING btree ("thread_id");