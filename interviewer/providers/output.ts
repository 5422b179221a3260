/** Checks shared by every answer the LLM gives: why it stopped, and whether it is JSON at all. */
import { ProviderError } from './errors';

export function checkFinish(finish: string | null | undefined, refusal: string): void {
  if (refusal || finish === 'content_filter') {
    throw new ProviderError('refused', 'The LLM refused or was filtered');
  }
  if (finish === 'length') {
    throw new ProviderError('malformed_output', 'The LLM hit its token limit mid-answer');
  }
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProviderError('malformed_output', `The LLM's ${what} is not JSON`, { cause: error });
  }
}
