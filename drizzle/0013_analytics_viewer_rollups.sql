CREATE TABLE "analytics_platform_hours" (
	"hour" timestamp (3) with time zone NOT NULL,
	"thread_type" "ThreadType" NOT NULL,
	"from_staff" boolean NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_platform_hours_hour_thread_type_from_staff_pk" PRIMARY KEY("hour","thread_type","from_staff")
);
--> statement-breakpoint
CREATE TABLE "analytics_student_days" (
	"thread_id" text NOT NULL,
	"day" timestamp (3) with time zone NOT NULL,
	"student_id" text NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	"last_at" timestamp (3) with time zone,
	CONSTRAINT "analytics_student_days_thread_id_day_student_id_pk" PRIMARY KEY("thread_id","day","student_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_thread_hours" (
	"thread_id" text NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"staff_id" text DEFAULT '' NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_thread_hours_thread_id_hour_staff_id_pk" PRIMARY KEY("thread_id","hour","staff_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_viewer_hours" (
	"user_id" text NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"thread_type" "ThreadType" NOT NULL,
	"sent" boolean NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_viewer_hours_user_id_hour_thread_type_sent_pk" PRIMARY KEY("user_id","hour","thread_type","sent")
);
--> statement-breakpoint
CREATE TABLE "analytics_viewer_threads" (
	"user_id" text NOT NULL,
	"thread_id" text NOT NULL,
	CONSTRAINT "analytics_viewer_threads_user_id_thread_id_pk" PRIMARY KEY("user_id","thread_id")
);
--> statement-breakpoint
CREATE TABLE "analytics_wait_days" (
	"viewer_id" text NOT NULL,
	"day" timestamp (3) with time zone NOT NULL,
	"class_key" text NOT NULL,
	"wait_ms" bigint NOT NULL,
	"waits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_wait_days_viewer_id_day_class_key_wait_ms_pk" PRIMARY KEY("viewer_id","day","class_key","wait_ms")
);
--> statement-breakpoint
CREATE TABLE "analytics_wait_hours" (
	"viewer_id" text NOT NULL,
	"hour" timestamp (3) with time zone NOT NULL,
	"class_key" text NOT NULL,
	"wait_ms" bigint NOT NULL,
	"waits" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "analytics_wait_hours_viewer_id_hour_class_key_wait_ms_pk" PRIMARY KEY("viewer_id","hour","class_key","wait_ms")
);
--> statement-breakpoint
ALTER TABLE "analytics_message_hours" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "analytics_message_hours" CASCADE;--> statement-breakpoint
DROP INDEX "idx_analytics_waits_thread_asked";--> statement-breakpoint
DROP INDEX "idx_analytics_waits_open";--> statement-breakpoint
ALTER TABLE "analytics_student_days" ADD CONSTRAINT "analytics_student_days_thread_id_message_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."message_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_student_days" ADD CONSTRAINT "analytics_student_days_student_id_users_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_thread_hours" ADD CONSTRAINT "analytics_thread_hours_thread_id_message_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."message_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_viewer_hours" ADD CONSTRAINT "analytics_viewer_hours_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_viewer_threads" ADD CONSTRAINT "analytics_viewer_threads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_viewer_threads" ADD CONSTRAINT "analytics_viewer_threads_thread_id_message_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."message_threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_analytics_viewer_threads_thread" ON "analytics_viewer_threads" USING btree ("thread_id");--> statement-breakpoint
CREATE INDEX "idx_analytics_wait_days_counts" ON "analytics_wait_days" USING btree ("viewer_id","day","class_key","wait_ms","waits");--> statement-breakpoint
CREATE INDEX "idx_analytics_wait_hours_counts" ON "analytics_wait_hours" USING btree ("viewer_id","hour","class_key","wait_ms","waits");--> statement-breakpoint
CREATE INDEX "idx_analytics_waits_thread_asked_answered" ON "analytics_waits" USING btree ("thread_id","asked_at","answered_at");--> statement-breakpoint
CREATE INDEX "idx_analytics_waits_open_thread" ON "analytics_waits" USING btree ("thread_id","asked_at") WHERE "analytics_waits"."answered_at" is null;--> statement-breakpoint
-- The new rollups start empty: forget the position so the analytics job's next run rebuilds them all.
DELETE FROM "analytics_state";
