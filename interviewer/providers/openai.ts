/**
 * The interviewer on any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, ...) through the
 * `openai` SDK (issue 5, providers (a)).
 *
 * A turn is one streamed chat completion whose answer is a JSON decision, `message` last
 * (turn-schema.ts). The message is decoded from the JSON as it streams and handed to
 * `onToken`; the fields before it are validated as soon as the message starts, so a decision
 * naming an unknown question is rejected before the candidate sees a word of it. The new
 * engine state is computed on our side (state.ts).
 *
 * Every failure is a ProviderError with a stable code (errors.ts); the engine then continues
 * with the offline engine. Text already given to `onToken` by a turn that then fails is
 * provisional: the engine replaces it with the offline engine's message.
 */
import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam
} from 'openai/resources/chat/completions';
import type {
  Evaluation,
  InterviewPlan,
  InterviewerProvider,
  TranscriptMessage,
  TurnInput,
  TurnResult
} from '../types';
import { callDeadlineMs, createCallGuard } from './call-guard';
import { dataBlock, type DataLimits } from './data-block';
import { ProviderError } from './errors';
import { evaluationJsonSchema, parseEvaluation } from './evaluation-schema';
import { finishDecision, readDecisionStream } from './decision-stream';
import {
  DEFAULT_BASE_URL,
  resolveOptions,
  type OpenAIProviderOptions,
  type ProviderLogger,
  type ResolvedOptions
} from './options';
import { checkFinish, parseJson } from './output';
import { evaluationSystemPrompt, turnSystemPrompt } from './prompts';
import { capRetryAfter } from './retry-after';
import { nextState } from './state';
import { decisionJsonSchema, turnChoices } from './turn-schema';

const TURN_LIMITS: DataLimits = {
  maxTranscriptChars: 40_000,
  maxMessageChars: 6_000,
  maxCodeChars: 20_000
};
const EVALUATION_LIMITS: DataLimits = {
  maxTranscriptChars: 150_000,
  maxMessageChars: 10_000,
  maxCodeChars: 0
};

/** The SDK logs `(message, details)`; our loggers take `(object, message)`. */
function sdkLogger(logger: ProviderLogger): NonNullable<OpenAI['logger']> {
  const at =
    (level: keyof ProviderLogger) =>
    (message: string, ...rest: unknown[]) =>
      logger[level](rest.length > 0 ? { sdk: rest.length === 1 ? rest[0] : rest } : {}, message);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function responseFormat(
  options: ResolvedOptions,
  name: string,
  schema: Record<string, unknown>
): ChatCompletionCreateParamsStreaming['response_format'] {
  return options.structuredOutput === 'json_schema'
    ? { type: 'json_schema', json_schema: { name, strict: true, schema } }
    : { type: 'json_object' };
}

export function createOpenAIProvider(input: OpenAIProviderOptions): InterviewerProvider {
  const options = resolveOptions(input);
  const logger = options.logger;
  const client = new OpenAI({
    apiKey: options.apiKey,
    // Explicit, so the SDK never falls back to reading process.env itself.
    baseURL: options.baseURL ?? DEFAULT_BASE_URL,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    fetch: capRetryAfter(options.fetch ?? globalThis.fetch, options.timeoutMs),
    logger: logger && sdkLogger(logger),
    logLevel: logger ? 'info' : 'off'
  });
  const tokenCap = options.maxOutputTokens
    ? { max_completion_tokens: options.maxOutputTokens }
    : {};

  async function turn(
    turnInput: TurnInput,
    callOptions: { signal?: AbortSignal; onToken?: (text: string) => void } = {}
  ): Promise<TurnResult> {
    const { plan, state, transcript, answer, now, code } = turnInput;
    const choices = turnChoices(plan, state, now);
    const schema = decisionJsonSchema(choices);
    const last = transcript.at(-1);
    // The app may or may not have added the answer to the transcript already (the engine trims it).
    const answered = last?.speaker === 'candidate' && last.text.trim() === answer.trim();
    const data = dataBlock(
      { transcript, latestAnswer: answered ? undefined : answer, code },
      TURN_LIMITS
    );
    const system = turnSystemPrompt({
      plan,
      state,
      choices,
      now,
      nonce: data.nonce,
      schemaText: options.structuredOutput === 'json_object' ? JSON.stringify(schema) : undefined
    });
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: system },
      { role: 'user', content: data.text }
    ];
    const guard = createCallGuard({
      signal: callOptions.signal,
      deadlineMs: callDeadlineMs(options.timeoutMs, options.maxRetries),
      idleMs: options.timeoutMs
    });
    try {
      const stream = await guard.race(
        client.chat.completions.create(
          {
            model: options.model,
            messages,
            stream: true,
            response_format: responseFormat(options, 'interviewer_turn', schema),
            ...tokenCap
          },
          { signal: guard.signal }
        )
      );
      const read = await readDecisionStream(stream, {
        choices,
        maxMessageChars: options.maxMessageChars,
        onToken: callOptions.onToken,
        onChunk: guard.touch
      });
      guard.throwIfAborted(); // the SDK ends an aborted stream without an error
      const { head, message } = finishDecision(read, {
        choices,
        maxMessageChars: options.maxMessageChars,
        onToken: callOptions.onToken
      });
      return {
        decision: {
          action: head.action,
          message,
          questionId: head.questionId,
          ...(head.dimensionId ? { dimensionId: head.dimensionId } : {})
        },
        state: nextState(plan, state, head, message, now)
      };
    } catch (error) {
      const failure = guard.fail(error);
      if (failure instanceof ProviderError) {
        logger?.warn(
          { err: failure, code: failure.code, status: failure.status },
          'LLM turn failed'
        );
      }
      throw failure;
    } finally {
      guard.dispose();
    }
  }

  async function evaluate(
    plan: InterviewPlan,
    transcript: TranscriptMessage[],
    callOptions: { signal?: AbortSignal } = {}
  ): Promise<Evaluation> {
    const schema = evaluationJsonSchema(plan);
    const data = dataBlock({ transcript }, EVALUATION_LIMITS);
    const system = evaluationSystemPrompt({
      plan,
      nonce: data.nonce,
      schemaText: options.structuredOutput === 'json_object' ? JSON.stringify(schema) : undefined
    });
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: options.model,
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: data.text }
      ],
      response_format: responseFormat(options, 'interview_evaluation', schema),
      ...tokenCap
    };
    const guard = createCallGuard({
      signal: callOptions.signal,
      deadlineMs: callDeadlineMs(options.evaluateTimeoutMs, options.maxRetries),
      idleMs: options.evaluateTimeoutMs
    });
    try {
      const completion = await guard.race(
        client.chat.completions.create(body, {
          signal: guard.signal,
          timeout: options.evaluateTimeoutMs
        })
      );
      const choice = completion.choices[0];
      if (!choice) throw new ProviderError('malformed_output', 'The LLM returned no choice');
      checkFinish(choice.finish_reason, choice.message.refusal ?? '');
      return parseEvaluation(parseJson(choice.message.content ?? '', 'evaluation'), plan);
    } catch (error) {
      const failure = guard.fail(error);
      if (failure instanceof ProviderError) {
        logger?.warn(
          { err: failure, code: failure.code, status: failure.status },
          'LLM evaluation failed'
        );
      }
      throw failure;
    } finally {
      guard.dispose();
    }
  }

  return { name: 'openai', turn, evaluate };
}
