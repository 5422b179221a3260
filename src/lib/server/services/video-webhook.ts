import { and, eq, sql } from 'drizzle-orm';
import { WebhookReceiver, type EgressInfo, type WebhookEvent } from 'livekit-server-sdk';
import { SESSION_ROLES, type SessionRole } from '../../../../realtime/events/index';
import type { VideoEventKind } from '../../contracts/video';
import type { Database } from '../db/client';
import { events, interviews } from '../db/schema';
import type { Env } from '../env';
import { AppError } from '../errors';
import type { Logger } from '../log';
import { interviewIdOfRoom, liveKitSettings, publishes } from './video';
import { createRoomRecorder, liveKitEgress, type RoomRecorder } from './video-recording';

/** What the webhook answers LiveKit: whether the event went on an interview's timeline. */
export type WebhookOutcome = { received: true; recorded: VideoEventKind | null };

/** One row of `events`, built from a webhook. */
export type TimelineEntry = {
  interviewId: string;
  kind: VideoEventKind;
  participantId: string;
  participantName: string;
  role: SessionRole;
  staffOnly: boolean;
  data: Record<string, string | number | boolean>;
};

export type LiveKitWebhook = {
  /**
   * Verifies the signature over the raw body (a JWT in Authorization whose
   * `sha256` claim is the body's hash) and records the event. Throws
   * AppError `not_found` without LiveKit and `unauthorized` for a bad signature.
   */
  receive(body: string, authorization: string | null, log: Logger): Promise<WebhookOutcome>;
};

/** Events without a person behind them: the room closing, recordings. */
const SERVER = { participantId: 'livekit', participantName: 'LiveKit', role: 'observer' } as const;

export function createLiveKitWebhook(options: {
  env: Env;
  db: Database;
  /** Default: Room Composite Egress through the LiveKit server when LIVEKIT_EGRESS=room. */
  recorder?: RoomRecorder | null;
  log: Logger;
}): LiveKitWebhook {
  const { env, db } = options;
  const settings = liveKitSettings(env);
  const receiver = settings ? new WebhookReceiver(settings.apiKey, settings.apiSecret) : null;
  const recorder =
    options.recorder !== undefined
      ? options.recorder
      : settings && env.LIVEKIT_EGRESS === 'room'
        ? createRoomRecorder({
            egress: liveKitEgress(settings),
            db,
            log: options.log.child({ component: 'egress' })
          })
        : null;

  return {
    async receive(body, authorization, log) {
      if (!receiver) throw new AppError('not_found', 'LiveKit is not configured on this server.');
      let event: WebhookEvent;
      try {
        event = await receiver.receive(body, authorization ?? undefined);
      } catch (err) {
        // The reason only: the body is not ours to log, and the header is a credential.
        const reason = err instanceof Error ? err.message : 'unreadable';
        log.warn({ reason }, 'LiveKit webhook refused');
        throw new AppError('unauthorized', 'The webhook signature is not valid.');
      }
      const entry = timelineEntryOf(event);
      if (!entry || !(await interviewExists(db, entry.interviewId))) {
        return { received: true, recorded: null };
      }
      if (event.event === 'participant_joined' && publishes(entry.role) && recorder) {
        // Not awaited: LiveKit waits for this answer, and a recording must never hold up a call.
        void recorder.ensureRecording(String(entry.data.room));
      }
      const stored = await append(db, entry);
      log.info(
        { interviewId: entry.interviewId, kind: entry.kind, duplicate: !stored },
        'LiveKit webhook'
      );
      return { received: true, recorded: entry.kind };
    }
  };
}

/** The timeline row an event stands for, or null for events and rooms Tandem does not track. */
export function timelineEntryOf(event: WebhookEvent): TimelineEntry | null {
  const webhookId = event.id;
  switch (event.event) {
    case 'participant_joined':
    case 'participant_left': {
      const room = event.room?.name ?? '';
      const interviewId = interviewIdOfRoom(room);
      const participant = event.participant;
      // Egress and agents join rooms too; only people holding a token we minted carry a role.
      const role = SESSION_ROLES.find((r) => r === participant?.attributes.role);
      if (!interviewId || !participant || !role || participant.identity === '') return null;
      return {
        interviewId,
        kind: event.event === 'participant_joined' ? 'video_joined' : 'video_left',
        participantId: participant.identity,
        participantName: participant.name || participant.identity,
        role,
        // Hidden viewers stay hidden from the candidate on the timeline too.
        staffOnly: !publishes(role),
        data: { room, webhookId }
      };
    }
    case 'room_finished': {
      const room = event.room?.name ?? '';
      const interviewId = interviewIdOfRoom(room);
      if (!interviewId) return null;
      return {
        interviewId,
        kind: 'video_ended',
        ...SERVER,
        staffOnly: false,
        data: { room, webhookId }
      };
    }
    case 'egress_started':
    case 'egress_ended': {
      const info = event.egressInfo;
      const interviewId = info ? interviewIdOfRoom(info.roomName) : null;
      if (!info || !interviewId) return null;
      return {
        interviewId,
        kind: event.event === 'egress_started' ? 'recording_started' : 'recording_ended',
        ...SERVER,
        // Where recordings are kept is for staff only.
        staffOnly: true,
        data: { room: info.roomName, webhookId, ...egressData(info) }
      };
    }
    default:
      return null;
  }
}

const egressStatuses = [
  'starting',
  'active',
  'ending',
  'complete',
  'failed',
  'aborted',
  'limit_reached'
] as const;

function egressData(info: EgressInfo): Record<string, string | number> {
  const data: Record<string, string | number> = {
    egressId: info.egressId,
    status: egressStatuses[info.status] ?? String(info.status)
  };
  const file = info.fileResults[0];
  if (file?.filename) data.filename = file.filename;
  if (file?.location) data.location = file.location;
  // FileInfo.duration is in nanoseconds.
  if (file && file.duration > 0n) data.durationSeconds = Number(file.duration / 1_000_000n) / 1000;
  if (file && file.size > 0n) data.sizeBytes = Number(file.size);
  if (info.error) data.error = info.error;
  return data;
}

async function interviewExists(db: Database, interviewId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: interviews.id })
    .from(interviews)
    .where(eq(interviews.id, interviewId));
  return row !== undefined;
}

/** LiveKit may deliver a webhook twice: a redelivery (same event id) is stored once. */
async function append(db: Database, entry: TimelineEntry): Promise<boolean> {
  const webhookId = String(entry.data.webhookId ?? '');
  const [seen] =
    webhookId === ''
      ? []
      : await db
          .select({ id: events.id })
          .from(events)
          .where(
            and(
              eq(events.interviewId, entry.interviewId),
              sql`${events.data}->>'webhookId' = ${webhookId}`
            )
          )
          .limit(1);
  if (seen) return false;
  await db.insert(events).values(entry);
  return true;
}

const perRuntime = new WeakMap<object, LiveKitWebhook>();

/** The process's webhook receiver, built on first use from the runtime's configuration. */
export function liveKitWebhookOf(runtime: { env: Env; db: Database; log: Logger }): LiveKitWebhook {
  let webhook = perRuntime.get(runtime);
  if (!webhook) {
    webhook = createLiveKitWebhook({ env: runtime.env, db: runtime.db, log: runtime.log });
    perRuntime.set(runtime, webhook);
  }
  return webhook;
}
