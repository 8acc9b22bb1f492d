CREATE TABLE "message_feed_window" (
	"id" integer PRIMARY KEY NOT NULL,
	"pruned_through" bigint DEFAULT 0 NOT NULL,
	"pruned_at" timestamp (3) with time zone,
	CONSTRAINT "chk_message_feed_window_single" CHECK ("message_feed_window"."id" = 1)
);
