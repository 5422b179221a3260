CREATE TYPE "public"."run_status" AS ENUM('queued', 'running', 'ok', 'compile_error', 'runtime_error', 'timeout', 'memory_limit', 'output_limit', 'internal_error');--> statement-breakpoint
CREATE TABLE "runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"interview_id" uuid,
	"user_id" text,
	"language" text NOT NULL,
	"entry" text,
	"files" jsonb NOT NULL,
	"stdin" text,
	"priority" text DEFAULT 'interactive' NOT NULL,
	"status" "run_status" DEFAULT 'queued' NOT NULL,
	"exit_code" integer,
	"signal" text,
	"wall_ms" integer,
	"cpu_ms" integer,
	"memory_kb" integer,
	"stdout" text,
	"stderr" text,
	"stdout_truncated" boolean DEFAULT false NOT NULL,
	"stderr_truncated" boolean DEFAULT false NOT NULL,
	"compile_output" text,
	"cancelled" boolean DEFAULT false NOT NULL,
	"tests" jsonb,
	"limits" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_interview_id_interviews_id_fk" FOREIGN KEY ("interview_id") REFERENCES "public"."interviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "runs_org_created_idx" ON "runs" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "runs_interview_idx" ON "runs" USING btree ("interview_id","created_at");