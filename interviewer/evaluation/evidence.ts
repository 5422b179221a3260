/**
 * "Every score cites evidence that the server verifies verbatim against the
 * transcript" (ARCHITECTURE.md). A quote stays only when, after collapsing
 * white space (and nothing else: no case folding, no punctuation changes), it
 * is a substring of one of the candidate's own messages. Interviewer messages
 * never count: a model must not cite its own question as the candidate's words.
 */
import type { Evaluation, TranscriptMessage } from '../types';
import { collapseWhitespace } from '../offline/text';

export function verifyEvidence(
  evaluation: Evaluation,
  transcript: readonly TranscriptMessage[]
): Evaluation {
  const said = transcript
    .filter((m) => m.speaker === 'candidate')
    .map((m) => collapseWhitespace(m.text));
  let dropped = 0;
  const scores = evaluation.scores.map((score) => {
    const kept: string[] = [];
    for (const quote of score.evidence) {
      const q = collapseWhitespace(quote);
      if (kept.includes(quote)) continue; // a repeated quote is redundant, not false
      if (q.length > 0 && said.some((m) => m.includes(q))) kept.push(quote);
      else dropped += 1;
    }
    return { ...score, evidence: kept };
  });
  return { ...evaluation, scores, droppedEvidence: evaluation.droppedEvidence + dropped };
}
