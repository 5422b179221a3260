/**
 * Reads a streamed decision: the JSON arrives in pieces, the message inside it goes to
 * `onToken` as it is decoded, and the fields before the message are validated the moment the
 * message starts, so the candidate never sees a word of a decision naming the wrong question.
 * When those fields are not all there yet (json_object mode does not fix the key order), the
 * message is held and delivered whole once the complete decision is validated.
 */
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ProviderError } from './errors';
import { createJsonFieldStream } from './json-stream';
import { checkFinish, parseJson } from './output';
import {
  parseDecisionHead,
  parseMessage,
  type DecisionHead,
  type TurnChoices
} from './turn-schema';

/** A turn's raw JSON beyond this is not a decision any more. */
const MAX_DECISION_JSON_CHARS = 20_000;

export type StreamedDecision = {
  json: string;
  /** The message text already handed to `onToken` (or held, when `early` is null). */
  streamed: string;
  /** The fields before the message: checked early, null when deferred, undefined if never reached. */
  early: DecisionHead | null | undefined;
  finish: string | null | undefined;
  refusal: string;
};

type Options = {
  choices: TurnChoices;
  maxMessageChars: number;
  onToken: ((text: string) => void) | undefined;
  /** Called on every chunk (restarts the idle timeout). */
  onChunk: () => void;
};

function earlyHead(json: string, keyOffset: number, choices: TurnChoices): DecisionHead | null {
  const before = json.slice(0, keyOffset).trimEnd().replace(/,$/, '');
  const value = parseJson(`${before}}`, 'decision');
  if (
    typeof value !== 'object' ||
    value === null ||
    !('action' in value && 'questionId' in value)
  ) {
    return null;
  }
  return parseDecisionHead(value, choices);
}

export async function readDecisionStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  options: Options
): Promise<StreamedDecision> {
  const field = createJsonFieldStream('message');
  const out: StreamedDecision = {
    json: '',
    streamed: '',
    early: undefined,
    finish: undefined,
    refusal: ''
  };
  options.onChunk();
  for await (const chunk of chunks) {
    options.onChunk();
    const choice = chunk.choices[0];
    if (!choice) continue; // e.g. a usage-only chunk
    out.refusal += choice.delta.refusal ?? '';
    out.finish = choice.finish_reason ?? out.finish;
    const piece = choice.delta.content;
    if (!piece) continue;
    out.json += piece;
    if (out.json.length > MAX_DECISION_JSON_CHARS) {
      throw new ProviderError('malformed_output', 'The LLM decision is too long');
    }
    const text = field.push(piece);
    if (field.started && out.early === undefined && field.keyOffset !== undefined) {
      out.early = earlyHead(out.json, field.keyOffset, options.choices);
    }
    if (!text) continue;
    out.streamed += text;
    if (out.streamed.length > options.maxMessageChars + 100) {
      throw new ProviderError('malformed_output', 'The LLM message is too long');
    }
    if (out.early) options.onToken?.(text);
  }
  return out;
}

/** The validated decision, once the stream has ended (and was not aborted). */
export function finishDecision(
  read: StreamedDecision,
  options: Omit<Options, 'onChunk'>
): { head: DecisionHead; message: string } {
  checkFinish(read.finish, read.refusal);
  const value = parseJson(read.json, 'decision');
  if (typeof value !== 'object' || value === null || !('message' in value)) {
    throw new ProviderError('malformed_output', 'The LLM decision has no message');
  }
  const head = parseDecisionHead(value, options.choices);
  const message = parseMessage(value.message, options.maxMessageChars);
  if (!read.early) {
    options.onToken?.(message);
  } else if (read.streamed !== value.message) {
    // What the candidate saw must be what we record (a repeated key would break that).
    throw new ProviderError('malformed_output', 'The streamed message differs from the decision');
  }
  return { head, message };
}
