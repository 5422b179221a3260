CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"interview_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"participant_id" text NOT NULL,
	"participant_name" text NOT NULL,
	"role" text NOT NULL,
	"staff_only" boolean DEFAULT false NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"interview_id" uuid NOT NULL,
	"speaker" text NOT NULL,
	"author_id" text NOT NULL,
	"author_name" text NOT NULL,
	"channel" text DEFAULT 'chat' NOT NULL,
	"text" text NOT NULL,
	"meta" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "participant_id" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "participant_name" text;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_interview_id_interviews_id_fk" FOREIGN KEY ("interview_id") REFERENCES "public"."interviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_interview_id_interviews_id_fk" FOREIGN KEY ("interview_id") REFERENCES "public"."interviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "events_interview_id_idx" ON "events" USING btree ("interview_id","id");--> statement-breakpoint
CREATE INDEX "messages_interview_created_idx" ON "messages" USING btree ("interview_id","created_at");