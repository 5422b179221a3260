export { createOpenAIProvider } from './openai';
export {
  DEFAULT_BASE_URL,
  DEFAULT_EVALUATE_TIMEOUT_MS,
  DEFAULT_MAX_MESSAGE_CHARS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  MAX_EVALUATE_TIMEOUT_MS,
  MAX_MAX_MESSAGE_CHARS,
  MAX_MAX_RETRIES,
  MAX_TIMEOUT_MS,
  STRUCTURED_OUTPUT_MODES,
  type OpenAIProviderOptions,
  type ProviderLogger,
  type StructuredOutputMode
} from './options';
export {
  NO_API_KEY,
  providerConfigFromEnv,
  type OpenAIEnv,
  type OpenAIProviderConfig
} from './config';
export {
  PROVIDER_ERROR_CODES,
  ProviderError,
  isProviderError,
  type ProviderErrorCode
} from './errors';
