import { z } from 'zod';

/**
 * What a browser needs to join an interview's call, shared by the server
 * (which answers it) and the page (which picks its mode from it).
 * docs/video.md describes both modes.
 */

const ICE_URL = /^(stun|stuns|turn|turns):[^\s]+$/;
const iceUrlSchema = z
  .string()
  .trim()
  .max(512)
  .regex(ICE_URL, 'must be a stun:, stuns:, turn: or turns: URL');

/**
 * One entry of RTCConfiguration.iceServers. TURN needs a username and a
 * credential: RTCPeerConnection throws InvalidAccessError without them.
 */
export const iceServerSchema = z
  .strictObject({
    urls: z.union([iceUrlSchema, z.array(iceUrlSchema).min(1).max(8)]),
    username: z.string().max(512).optional(),
    credential: z.string().max(512).optional()
  })
  .refine(
    (server) =>
      [server.urls].flat().every((url) => !url.startsWith('turn')) ||
      (server.username !== undefined && server.credential !== undefined),
    { message: 'turn: and turns: servers need a username and a credential' }
  );
export type IceServer = z.infer<typeof iceServerSchema>;

export const MAX_ICE_SERVERS = 16;
export const iceServersSchema = z.array(iceServerSchema).max(MAX_ICE_SERVERS);

export const videoConfigSchema = z.discriminatedUnion('mode', [
  z.object({
    /** Our own RTCPeerConnection mesh, signalled over the session socket. */
    mode: z.literal('p2p'),
    iceServers: iceServersSchema,
    canPublish: z.boolean()
  }),
  z.object({
    /** A LiveKit room: connect `livekit-client` to `url` with `token`. */
    mode: z.literal('livekit'),
    url: z.string(),
    token: z.string(),
    room: z.string(),
    canPublish: z.boolean(),
    expiresInSeconds: z.number().int().positive()
  })
]);
export type VideoConfig = z.infer<typeof videoConfigSchema>;

/** Timeline kinds the LiveKit webhook records in `events`. */
export const VIDEO_EVENT_KINDS = [
  'video_joined',
  'video_left',
  'video_ended',
  'recording_started',
  'recording_ended'
] as const;
export type VideoEventKind = (typeof VIDEO_EVENT_KINDS)[number];
