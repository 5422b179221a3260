/**
 * Where the pad gets how to join the call: staff with their session cookie,
 * the candidate with their invite link. A fresh answer for every join, since
 * a LiveKit token lives only minutes.
 */
import { PadAccessError, type PadAccess } from '$lib/pad/endpoints';
import { videoConfigSchema, type VideoConfig } from '$lib/contracts/video';

export function videoTokenUrl(access: PadAccess): string {
  return access.kind === 'staff'
    ? `/api/v1/interviews/${encodeURIComponent(access.interviewId)}/video/token`
    : `/c/${encodeURIComponent(access.inviteToken)}/video/token`;
}

function errorOf(body: unknown): { code: string; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error: unknown = body.error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : null;
}

export async function fetchVideoConfig(
  access: PadAccess,
  fetcher: typeof fetch = fetch
): Promise<VideoConfig> {
  let response: Response;
  try {
    response = await fetcher(videoTokenUrl(access), {
      method: 'POST',
      credentials: 'same-origin'
    });
  } catch {
    throw new PadAccessError(0, 'network', 'Tandem cannot be reached. Check your connection.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = errorOf(body);
    throw new PadAccessError(
      response.status,
      problem?.code ?? 'http_error',
      problem?.message ?? `Tandem answered ${response.status}.`
    );
  }
  const parsed = videoConfigSchema.safeParse(body);
  if (!parsed.success) {
    throw new PadAccessError(response.status, 'bad_response', 'Tandem sent an unexpected answer.');
  }
  return parsed.data;
}
