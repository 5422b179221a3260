/** Invite tokens travel in paths; they never reach a log line. */
export function redactPath(path: string): string {
  return path.replace(/^\/(c|invite)\/[^/]+/, '/$1/[token]');
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;

/**
 * Cross-site request forgery: a write that a browser could send from another
 * site with the user's cookies must come from our own origin. Requests that
 * carry an Authorization header are not ambient and are exempt.
 */
export function isForgeable(request: Request, url: URL): boolean {
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
  if (request.headers.has('authorization')) return false;
  const origin = request.headers.get('origin');
  // Forms can be posted cross-site without any preflight: only our own pages may.
  if (FORM_TYPES.test(request.headers.get('content-type') ?? '')) return origin !== url.origin;
  // Other writes with cookies: browsers always say where they come from, so a
  // foreign (or "null") origin is refused; a client without one is no browser.
  const withCookies = (request.headers.get('cookie') ?? '') !== '';
  return withCookies && origin !== null && origin !== url.origin;
}
