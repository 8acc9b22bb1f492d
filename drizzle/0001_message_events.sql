CREATE TABLE "message_event_counter" (
	"id" integer PRIMARY KEY NOT NULL,
	"pos" bigint NOT NULL,
	CONSTRAINT "chk_message_event_counter_single" CHECK ("message_event_counter"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "message_events" (
	"pos" bigint PRIMARY KEY NOT NULL,
	"thread_id" text NOT NULL,
	"message_id" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chk_message_events_kind" CHECK ("message_events"."kind" in ('created', 'updated', 'deleted'))
);
--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_thread_id_message_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."message_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_message_events_thread_pos" ON "message_events" USING btree ("thread_id","pos");