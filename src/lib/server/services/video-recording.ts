import { sql } from 'drizzle-orm';
import {
  EgressClient,
  EncodedFileOutput,
  EncodedFileType,
  type EgressInfo,
  type EncodedOutputs,
  type ListEgressOptions,
  type RoomCompositeOptions
} from 'livekit-server-sdk';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import type { LiveKitSettings } from './video';

/** The two calls of LiveKit's Egress API that recording needs. */
export type EgressApi = {
  listEgress(options: ListEgressOptions): Promise<EgressInfo[]>;
  startRoomCompositeEgress(
    roomName: string,
    output: EncodedOutputs,
    options: RoomCompositeOptions
  ): Promise<EgressInfo>;
};

export type RoomRecorder = {
  /** Starts a Room Composite Egress of the room unless one is already running. Never throws. */
  ensureRecording(room: string): Promise<void>;
};

/**
 * Where the Egress service writes, relative to the storage it is configured
 * with (S3, GCS, Azure, or its local disk). {room_name} and {time} are
 * expanded by Egress.
 */
export const RECORDING_FILEPATH = 'tandem/{room_name}-{time}.mp4';

/**
 * Records each interview's room once its first publisher has joined.
 * Webhooks for two people joining at once can reach two app nodes: a
 * PostgreSQL advisory lock per room lets one of them check and start.
 */
export function createRoomRecorder(options: {
  egress: EgressApi;
  db: Database;
  log: Logger;
}): RoomRecorder {
  const { egress, db, log } = options;
  return {
    async ensureRecording(room) {
      try {
        await db.transaction(async (tx) => {
          const { rows } = await tx.execute<{ locked: boolean }>(
            sql`SELECT pg_try_advisory_xact_lock(hashtextextended(${'livekit-egress/' + room}, 0)) AS locked`
          );
          // Another node is starting it right now.
          if (!rows[0]?.locked) return;
          const running = await egress.listEgress({ roomName: room, active: true });
          if (running.length > 0) return;
          const info = await egress.startRoomCompositeEgress(
            room,
            {
              file: new EncodedFileOutput({
                fileType: EncodedFileType.MP4,
                filepath: RECORDING_FILEPATH
              })
            },
            { layout: 'grid' }
          );
          log.info({ room, egressId: info.egressId }, 'recording requested');
        });
      } catch (err) {
        // The call goes on without a recording.
        log.error({ err, room }, 'could not start recording');
      }
    }
  };
}

export function liveKitEgress(settings: LiveKitSettings): EgressApi {
  return new EgressClient(settings.url, settings.apiKey, settings.apiSecret);
}
