/**
 * The candidate's AI interview endpoints (`/c/<token>/interview...`): the
 * invite link is the credential. Answers and resumes stream the
 * interviewer's reply as NDJSON; every line is parsed before it is used.
 */
import type { z } from 'zod';
import type { AiInterviewView, AnswerInput, AnswerStreamEvent } from '$lib/contracts/ai-interview';
import { readNdjson } from './ndjson';
import { aiViewSchema, apiErrorSchema, streamEventSchema } from './schemas';

/**
 * A refused or failed request. `code` is the server's (`conflict`,
 * `validation_failed`, `consent_required`, ...) or one of ours: `network`
 * (no answer at all), `interrupted` (the stream stopped before its end),
 * `bad_response`.
 */
export class AiClientError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'AiClientError';
    this.status = status;
    this.code = code;
  }
}

/** The request may or may not have reached the server: reload the view to know. */
export const isDropped = (error: unknown): boolean =>
  error instanceof AiClientError && (error.code === 'network' || error.code === 'interrupted');

export type StreamHandlers = {
  /** Every event as it arrives, the final `view` or `error` included. */
  onEvent?: (event: AnswerStreamEvent) => void;
  signal?: AbortSignal;
};

export type AiClient = {
  view(): Promise<AiInterviewView>;
  /** Idempotent: a second start (another tab) answers the same interview. */
  start(): Promise<AiInterviewView>;
  answer(input: AnswerInput, handlers?: StreamHandlers): Promise<AiInterviewView>;
  /** Finishes a reply a server restart interrupted; answers the view when nothing is pending. */
  resume(handlers?: StreamHandlers): Promise<AiInterviewView>;
};

export type AiClientOptions = { inviteToken: string; fetch?: typeof fetch };

const NDJSON = 'application/x-ndjson';
/** What an error event's code would have answered as a plain JSON request. */
const STATUS_OF: Record<string, number> = {
  validation_failed: 400,
  consent_required: 403,
  not_found: 404,
  conflict: 409,
  gone: 410
};

const dropped = () =>
  new AiClientError(0, 'interrupted', 'The connection dropped before the reply arrived.');
const badResponse = (status: number) =>
  new AiClientError(
    status,
    'bad_response',
    'Tandem sent an unexpected answer. Reload to continue.'
  );

async function refusal(response: Response): Promise<AiClientError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed = apiErrorSchema.safeParse(body);
  return parsed.success
    ? new AiClientError(response.status, parsed.data.error.code, parsed.data.error.message)
    : new AiClientError(response.status, 'http_error', `Tandem answered ${response.status}.`);
}

async function parsed<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
  const body: unknown = await response.json().catch(() => undefined);
  const result = schema.safeParse(body);
  if (!result.success) throw badResponse(response.status);
  return result.data;
}

async function streamed(response: Response, handlers: StreamHandlers): Promise<AiInterviewView> {
  const body = response.body;
  if (!(response.headers.get('content-type') ?? '').includes(NDJSON) || !body) {
    return parsed(response, aiViewSchema);
  }
  try {
    for await (const line of readNdjson(body)) {
      const event = streamEventSchema.safeParse(line);
      if (!event.success) throw badResponse(response.status);
      handlers.onEvent?.(event.data);
      if (event.data.type === 'view') return event.data.view;
      if (event.data.type === 'error') {
        const { code, message } = event.data.error;
        throw new AiClientError(STATUS_OF[code] ?? 500, code, message);
      }
    }
  } catch (error) {
    if (error instanceof AiClientError) throw error;
    if (error instanceof SyntaxError) throw badResponse(response.status);
    throw dropped();
  }
  throw dropped();
}

export function createAiClient(options: AiClientOptions): AiClient {
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  const base = `/c/${encodeURIComponent(options.inviteToken)}/interview`;

  async function send(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetcher(`${base}${path}`, { credentials: 'same-origin', ...init });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new AiClientError(0, 'network', 'Tandem cannot be reached. Check your connection.');
    }
    if (!response.ok) throw await refusal(response);
    return response;
  }

  const post = (path: string, body: unknown, stream: StreamHandlers | null = null) =>
    send(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: stream ? `${NDJSON}, application/json` : 'application/json'
      },
      body: JSON.stringify(body),
      ...(stream?.signal ? { signal: stream.signal } : {})
    });

  return {
    async view() {
      return parsed(await send('', { method: 'GET' }), aiViewSchema);
    },
    async start() {
      return parsed(await post('/start', {}), aiViewSchema);
    },
    async answer(input, handlers = {}) {
      return streamed(await post('/messages', input, handlers), handlers);
    },
    async resume(handlers = {}) {
      return streamed(await post('/resume', {}, handlers), handlers);
    }
  };
}
