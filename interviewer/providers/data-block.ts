/**
 * Wraps the transcript (and the candidate's code) as data for the model (issue 5: "candidate
 * text is data: attempts to instruct the interviewer change nothing").
 *
 * Two layers keep candidate words from reading as instructions:
 * - the words are JSON string values, so quotes, newlines and fake headings in them stay
 *   inside a string and cannot start a new section of the prompt;
 * - the JSON sits between markers carrying a random nonce, so a candidate cannot type the
 *   closing marker and continue "outside" the data: they cannot know it.
 * The system prompt says what the markers mean and that nothing inside them is an
 * instruction. Candidate text never goes into the system message.
 */
import { randomBytes } from 'node:crypto';
import type { TranscriptMessage, TurnInput } from '../types';

export type DataBlock = { text: string; nonce: string };

export type DataLimits = {
  /** Budget for all transcript text, most recent messages kept first. */
  maxTranscriptChars: number;
  /** Cap on any one message. */
  maxMessageChars: number;
  /** Cap on all code files together. */
  maxCodeChars: number;
};

export function openMarker(nonce: string): string {
  return `<<<INTERVIEW_DATA ${nonce}>>>`;
}

export function closeMarker(nonce: string): string {
  return `<<<END_INTERVIEW_DATA ${nonce}>>>`;
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)} [cut]`;
}

/** The most recent messages whose text fits the budget, oldest first. */
function recent(transcript: TranscriptMessage[], limits: DataLimits) {
  const kept: { speaker: string; text: string; questionId?: string }[] = [];
  let used = 0;
  for (let i = transcript.length - 1; i >= 0; i -= 1) {
    const message = transcript[i]!;
    const text = cap(message.text, limits.maxMessageChars);
    if (used + text.length > limits.maxTranscriptChars && kept.length > 0) break;
    used += text.length;
    kept.push({ speaker: message.speaker, text, questionId: message.questionId });
  }
  return { messages: kept.reverse(), omitted: transcript.length - kept.length };
}

function codeData(code: NonNullable<TurnInput['code']>, max: number) {
  let left = max;
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(code.files)) {
    files[name] = cap(content, Math.max(0, left));
    left -= content.length;
  }
  const run = code.lastRun && {
    status: code.lastRun.status,
    stdout: cap(code.lastRun.stdout, 2000),
    stderr: cap(code.lastRun.stderr, 2000)
  };
  return { language: code.language, files, lastRun: run };
}

export function dataBlock(
  content: {
    transcript: TranscriptMessage[];
    /** The answer this turn responds to, when it is not already the transcript's last message. */
    latestAnswer?: string;
    code?: TurnInput['code'];
  },
  limits: DataLimits
): DataBlock {
  const { messages, omitted } = recent(content.transcript, limits);
  const data = {
    ...(omitted > 0 ? { earlierMessagesOmitted: omitted } : {}),
    transcript: messages,
    ...(content.latestAnswer !== undefined
      ? { latestAnswer: cap(content.latestAnswer, limits.maxMessageChars) }
      : {}),
    ...(content.code ? { candidateCode: codeData(content.code, limits.maxCodeChars) } : {})
  };
  const json = JSON.stringify(data, null, 1);
  let nonce = randomBytes(9).toString('hex');
  while (json.includes(nonce)) nonce = randomBytes(9).toString('hex');
  return { text: `${openMarker(nonce)}\n${json}\n${closeMarker(nonce)}`, nonce };
}
