-- English stems marked apart from the simple words in messages.search_vector (issue 15): a prefix
-- (search as you type, `assig:*`) matched both the stem `assign` and the word `assignment`, two
-- posting lists of the same messages, about twice an exact word's cost. With every English lexeme
-- spelled `~assign`, a prefix of the simple words reads the words alone; a word still matches
-- either form, the query marking its English part the same way (cm_english_query). Both are
-- immutable text rewrites of the quoted lexemes ('…', a quote inside doubled), so positions and
-- weights are kept, and the generated column may call them. Re-adding the column rewrites the table
-- once; its index goes with the old column and is built again.
CREATE OR REPLACE FUNCTION "cm_english_lexemes"("content" text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(to_tsvector('english'::regconfig, "content")::text, '''((?:[^'']|'''')*)''', '''~\1''', 'g')::tsvector
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "cm_english_query"("query" tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace("query"::text, '''((?:[^'']|'''')*)''', '''~\1''', 'g')::tsquery
$$;--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "search_vector";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (cm_english_lexemes(content) || to_tsvector('simple'::regconfig, content)) STORED;--> statement-breakpoint
CREATE INDEX "idx_messages_search" ON "messages" USING gin ("search_vector") WITH (fastupdate = false);
