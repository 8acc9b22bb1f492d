ALTER TABLE "notification_preferences" ALTER COLUMN "time_zone" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "notification_preferences" ALTER COLUMN "time_zone" DROP NOT NULL;