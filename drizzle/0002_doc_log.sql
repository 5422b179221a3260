CREATE TABLE "doc_snapshots" (
	"interview_id" uuid NOT NULL,
	"doc" text NOT NULL,
	"seq" integer NOT NULL,
	"state" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "doc_snapshots_interview_id_doc_seq_pk" PRIMARY KEY("interview_id","doc","seq")
);
--> statement-breakpoint
CREATE TABLE "doc_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"interview_id" uuid NOT NULL,
	"doc" text NOT NULL,
	"seq" integer NOT NULL,
	"author" text NOT NULL,
	"update" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "doc_snapshots" ADD CONSTRAINT "doc_snapshots_interview_id_interviews_id_fk" FOREIGN KEY ("interview_id") REFERENCES "public"."interviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "doc_updates" ADD CONSTRAINT "doc_updates_interview_id_interviews_id_fk" FOREIGN KEY ("interview_id") REFERENCES "public"."interviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "doc_updates_doc_seq_key" ON "doc_updates" USING btree ("interview_id","doc","seq");