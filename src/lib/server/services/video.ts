import { AccessToken } from 'livekit-server-sdk';
import type { SessionRole } from '../../../../realtime/events/index';
import type { VideoConfig } from '../../contracts/video';
import type { Env } from '../env';
import type { Runtime } from '../runtime';
import { getInterview } from './interviews';
import { can, type StaffPrincipal } from './principal';
import { candidateParticipant, candidateReadOnly, candidateView } from './session-access';

/** Who joins a call: the same ids as in the live session (a user id, or `candidate:<id>`). */
export type VideoParticipant = { id: string; name: string; role: SessionRole };

/** The options video reads (env.ts). */
export type VideoEnv = Pick<
  Env,
  | 'LIVEKIT_URL'
  | 'LIVEKIT_API_KEY'
  | 'LIVEKIT_API_SECRET'
  | 'ICE_SERVERS'
  | 'VIDEO_TOKEN_TTL_SECONDS'
>;

export type LiveKitSettings = { url: string; apiKey: string; apiSecret: string };

/** LiveKit when all three variables are set (env.ts refuses anything in between). */
export function liveKitSettings(
  env: Pick<Env, 'LIVEKIT_URL' | 'LIVEKIT_API_KEY' | 'LIVEKIT_API_SECRET'>
): LiveKitSettings | null {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = env;
  return url && apiKey && apiSecret ? { url, apiKey, apiSecret } : null;
}

const ROOM_PREFIX = 'interview-';
const ROOM_NAME = /^interview-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** One LiveKit room per interview. */
export function roomNameOf(interviewId: string): string {
  return `${ROOM_PREFIX}${interviewId}`;
}

/** The interview a room belongs to, or null for a room Tandem did not name. */
export function interviewIdOfRoom(room: string): string | null {
  return ROOM_NAME.exec(room)?.[1] ?? null;
}

/** Only the people in the interview send audio and video; everyone else watches, unseen. */
export function publishes(role: SessionRole): boolean {
  return role === 'interviewer' || role === 'candidate';
}

/**
 * How this participant joins the interview's call. Without LiveKit: the
 * peer-to-peer mesh with the configured ICE servers. With it: a short-lived
 * access token for the interview's room (docs/video.md, "Roles and grants").
 */
export async function videoConfigFor(
  runtime: { env: VideoEnv },
  participant: VideoParticipant,
  interviewId: string,
  options: { readOnly?: boolean } = {}
): Promise<VideoConfig> {
  const canPublish = publishes(participant.role) && !options.readOnly;
  const livekit = liveKitSettings(runtime.env);
  if (!livekit) return { mode: 'p2p', iceServers: runtime.env.ICE_SERVERS, canPublish };

  const ttl = runtime.env.VIDEO_TOKEN_TTL_SECONDS;
  const room = roomNameOf(interviewId);
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
    identity: participant.id,
    name: participant.name,
    ttl,
    // Signed by us and not changeable by the participant: the webhook reads the role from here.
    attributes: { role: participant.role }
  });
  const hidden = !publishes(participant.role);
  token.addGrant({
    roomJoin: true,
    room,
    canPublish,
    canPublishData: canPublish,
    canSubscribe: true,
    canUpdateOwnMetadata: false,
    hidden
  });
  return {
    mode: 'livekit',
    url: livekit.url,
    token: await token.toJwt(),
    room,
    canPublish,
    expiresInSeconds: ttl
  };
}

/** Staff of the interview's organization (404 otherwise); hiring managers watch only. */
export async function staffVideoConfig(
  runtime: Runtime,
  principal: StaffPrincipal,
  interviewId: string
): Promise<VideoConfig> {
  await getInterview(runtime.db, principal.organizationId, interviewId);
  const role: SessionRole = can(principal, 'interviews:write') ? 'interviewer' : 'hiring_manager';
  return videoConfigFor(runtime, { id: principal.userId, name: principal.name, role }, interviewId);
}

/** The candidate, after the recording notice; once the session has ended they no longer send. */
export async function candidateVideoConfig(
  runtime: Runtime,
  linkToken: string
): Promise<VideoConfig> {
  const view = await candidateView(runtime, linkToken);
  return videoConfigFor(
    runtime,
    { ...candidateParticipant(view), role: 'candidate' },
    view.interview.id,
    { readOnly: candidateReadOnly(view) }
  );
}
