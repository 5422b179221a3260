/**
 * Public face of the interviewer (docs/interviewer.md). Everything else in
 * this folder is internal.
 */
export {
  createInterviewEngine,
  type InterviewEngine,
  type InterviewEngineOptions,
  type TurnOptions,
  type EngineTurnResult
} from './engine/engine';
export { DEFAULT_LIMITS, MAX_LIMITS, type EngineLimits } from './engine/limits';
export { InterviewerError, isInterviewerError, type InterviewerErrorCode } from './engine/errors';
export type { InterviewerLogger } from './engine/logger';
export { createOfflineProvider } from './offline/provider';
export { verifyEvidence } from './evaluation/evidence';
export { detectInjection } from './evaluation/injection';
export {
  parseTranscriptFile,
  planForTranscript,
  TRANSCRIPT_FORMAT_VERSION,
  type TranscriptFile,
  type TranscriptFilePlan
} from './transcript-file';
export * from './types';

// The question library and the OpenAI provider live beside the engine (their owners keep their
// own index.ts); the app reaches them through this one face.
export {
  loadLibrary,
  resolvePlan,
  defaultContentDir,
  ContentError,
  type Library,
  type ContentProblem
} from './content/index';
export {
  createOpenAIProvider,
  providerConfigFromEnv,
  ProviderError,
  isProviderError,
  type OpenAIProviderOptions,
  type OpenAIEnv,
  type OpenAIProviderConfig,
  type ProviderErrorCode
} from './providers/index';
