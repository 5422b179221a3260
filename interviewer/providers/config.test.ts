import { describe, expect, it } from 'vitest';
import { NO_API_KEY, providerConfigFromEnv } from './config';

describe('providerConfigFromEnv', () => {
  it('is null (offline) when no LLM is configured, blank values included', () => {
    expect(providerConfigFromEnv({})).toBeNull();
    expect(
      providerConfigFromEnv({ OPENAI_API_KEY: '', OPENAI_MODEL: ' ', OPENAI_TIMEOUT_MS: '5000' })
    ).toBeNull();
  });

  it('configures OpenAI with a key and a model', () => {
    expect(
      providerConfigFromEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-4o-mini' })
    ).toEqual({
      apiKey: 'sk-test',
      baseURL: undefined,
      model: 'gpt-4o-mini',
      structuredOutput: undefined,
      timeoutMs: undefined,
      maxRetries: undefined
    });
  });

  it('configures a local server without a key, sending a placeholder', () => {
    expect(
      providerConfigFromEnv({
        OPENAI_BASE_URL: 'http://localhost:11434/v1',
        OPENAI_MODEL: 'qwen2.5:7b',
        OPENAI_STRUCTURED_OUTPUT: 'json_object',
        OPENAI_TIMEOUT_MS: '30000',
        OPENAI_MAX_RETRIES: '0'
      })
    ).toEqual({
      apiKey: NO_API_KEY,
      baseURL: 'http://localhost:11434/v1',
      model: 'qwen2.5:7b',
      structuredOutput: 'json_object',
      timeoutMs: 30_000,
      maxRetries: 0
    });
  });

  it('refuses an inconsistent configuration, listing every problem', () => {
    expect(() => providerConfigFromEnv({ OPENAI_API_KEY: 'sk-test' })).toThrow(
      /OPENAI_MODEL is required/
    );
    expect(() => providerConfigFromEnv({ OPENAI_MODEL: 'gpt-4o-mini' })).toThrow(
      /OPENAI_API_KEY is required/
    );
    expect(() =>
      providerConfigFromEnv({
        OPENAI_BASE_URL: 'ftp://example.com',
        OPENAI_MODEL: 'm',
        OPENAI_TIMEOUT_MS: '999999',
        OPENAI_MAX_RETRIES: '9'
      })
    ).toThrow(/http\(s\) URL[\s\S]*at most 120000[\s\S]*at most 5/);
    expect(() =>
      providerConfigFromEnv({
        OPENAI_MODEL: 'm',
        OPENAI_BASE_URL: 'http://x/v1',
        OPENAI_STRUCTURED_OUTPUT: 'xml'
      })
    ).toThrow(/OPENAI_STRUCTURED_OUTPUT must be one of json_schema, json_object/);
  });
});
