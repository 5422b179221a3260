ALTER TABLE "doc_updates" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "doc_updates" ADD CONSTRAINT "doc_updates_interview_id_doc_seq_pk" PRIMARY KEY("interview_id","doc","seq");--> statement-breakpoint
DROP INDEX "doc_updates_doc_seq_key";
