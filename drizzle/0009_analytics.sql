CREATE TABLE "analytics_message_hours" (
	"thread_id" text NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"sender_id" text NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_message_hours_thread_id_hour_sender_id_pk" PRIMARY KEY("thread_id","hour","sender_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"through_pos" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chk_analytics_state_single" CHECK ("analytics_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "analytics_waits" (
	"message_id" text PRIMARY KEY NOT NULL,
	"thread_id" text NOT NULL,
	"student_id" text NOT NULL,
	"asked_at" timestamp (3) with time zone NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"answered_by_id" text
);
--> statement-breakpoint
ALTER TABLE "analytics_message_hours" ADD CONSTRAINT "analytics_message_hours_thread_id_message_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."message_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_message_hours" ADD CONSTRAINT "analytics_message_hours_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_waits" ADD CONSTRAINT "analytics_waits_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_waits" ADD CONSTRAINT "analytics_waits_thread_id_message_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."message_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_waits" ADD CONSTRAINT "analytics_waits_student_id_users_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_waits" ADD CONSTRAINT "analytics_waits_answered_by_id_users_id_fk" FOREIGN KEY ("answered_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_analytics_hours_hour" ON "analytics_message_hours" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "idx_analytics_waits_thread_asked" ON "analytics_waits" USING btree ("thread_id","asked_at");--> statement-breakpoint
CREATE INDEX "idx_analytics_waits_open" ON "analytics_waits" USING btree ("asked_at") WHERE "analytics_waits"."answered_at" is null;