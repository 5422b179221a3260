import { AppError } from '$lib/server/errors';
import { endpoint } from '$lib/server/http/api';

const unknown = endpoint(async (event) => {
  throw new AppError('not_found', `There is no ${event.request.method} ${event.url.pathname}.`);
});

export const fallback = unknown;
