-- The search index without GIN's pending list (fastupdate). With it, inserts queue their entries in
-- a list of up to 4 MB, and the insert that fills it merges the whole list into the index inside
-- its own statement: one send every few thousand took 150–200 ms (bench:realtime's latency tail,
-- pg_stat_statements' max for the send statement). Without it each send files its own entries.
-- Altered rather than rebuilt (drizzle-kit would drop and re-create it), so no deploy rebuilds the
-- index of a large table; what an older deploy left in the list is merged now, once.
ALTER INDEX "idx_messages_search" SET (fastupdate = false);--> statement-breakpoint
SELECT gin_clean_pending_list('idx_messages_search'::regclass);
