import { fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { isAppError } from '../errors';
import type { Logger } from '../log';

export type FieldErrors = Record<string, string>;
export type FormFailure = {
  message?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
};

/** Reads a form into plain strings; files and repeated fields are not used by our forms. */
export async function formValues(request: Request): Promise<Record<string, string>> {
  const data = await request.formData();
  const values: Record<string, string> = {};
  for (const [key, value] of data) if (typeof value === 'string') values[key] = value;
  return values;
}

/** Validates a form; on failure returns the per-field messages to show beside each input. */
export function parseForm<T extends z.ZodType>(
  schema: T,
  values: Record<string, string>
): { ok: true; data: z.output<T> } | { ok: false; failure: ActionFailure<FormFailure> } {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    errors[key] ??= capitalise(issue.message);
  }
  const safeValues = Object.fromEntries(
    Object.entries(values).filter(([k]) => !/password|confirm/i.test(k))
  );
  return {
    ok: false,
    failure: fail(400, {
      errors,
      values: safeValues,
      message: 'Please correct the highlighted fields.'
    })
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Maps a service error onto a form failure; unknown errors are logged and hidden. */
export function actionFailure(
  error: unknown,
  log: Logger,
  values?: Record<string, string>
): ActionFailure<FormFailure> {
  if (isAppError(error)) {
    return fail(error.status, { message: error.message, values });
  }
  const errorId = crypto.randomUUID();
  log.error({ err: error, errorId }, 'unexpected error in a form action');
  return fail(500, {
    message: `Something went wrong on our side. Quote ${errorId} when reporting it.`,
    values
  });
}
