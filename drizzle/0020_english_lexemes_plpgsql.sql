-- cm_english_lexemes (migration 0018) computes the search column of every message written. As a SQL
-- function it was inlined into the generated column's expression, and that expression is prepared
-- again at the start of every statement that writes messages: the function's body was parsed and
-- analysed afresh for each send, about 0.15 ms of a one-message write (pgbench on the send
-- function: 1.17 ms per call before, 0.82 ms after). As PL/pgSQL it is called, not inlined, and its
-- plan is kept per connection. Same body, same results: stored vectors need no rewrite.
CREATE OR REPLACE FUNCTION "cm_english_lexemes"("content" text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN regexp_replace(to_tsvector('english'::regconfig, "content")::text, '''((?:[^'']|'''')*)''', '''~\1''', 'g')::tsvector;
END
$$;
