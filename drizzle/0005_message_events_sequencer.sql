-- Writers append change rows without a position; a sequencer pass numbers committed rows later
-- (src/messaging/feed-sequencer.ts). Existing rows keep their pos, and take it as their id too, so
-- id order is pos order for them as for every row sequenced from now on.
ALTER TABLE "message_events" DROP CONSTRAINT "message_events_pkey";--> statement-breakpoint
ALTER TABLE "message_events" ALTER COLUMN "pos" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "message_events" ADD COLUMN "id" bigint;--> statement-breakpoint
UPDATE "message_events" SET "id" = "pos";--> statement-breakpoint
ALTER TABLE "message_events" ALTER COLUMN "id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_pkey" PRIMARY KEY ("id");--> statement-breakpoint
ALTER TABLE "message_events" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY (sequence name "message_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
SELECT setval('"message_events_id_seq"', (SELECT coalesce(max("id"), 0) + 1 FROM "message_events"), false);--> statement-breakpoint
CREATE UNIQUE INDEX "uq_message_events_pos" ON "message_events" USING btree ("pos");--> statement-breakpoint
CREATE INDEX "idx_message_events_unpositioned" ON "message_events" USING btree ("id") WHERE "message_events"."pos" is null;
