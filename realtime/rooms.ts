import type { Logger } from './logger';
import { createRoom, type Room, type RoomOptions } from './room';
import { docId as id, type DocKey } from './store';

export type RoomsOptions = Omit<RoomOptions, 'key'> & {
  logger: Logger;
  /** Milliseconds a document without connections stays loaded. */
  idleUnloadMs: number;
};

type Entry = { room: Room; refs: number; idle: NodeJS.Timeout | null };

export type Rooms = {
  /** Registers interest synchronously, so an idle unload cannot race a joining socket. */
  acquire(key: DocKey): Room;
  release(room: Room): void;
  all(): Room[];
  flushAll(): Promise<void>;
  collectGarbage(): Promise<void>;
  /** Flushes and destroys every room. */
  closeAll(): Promise<void>;
};

/** Loaded documents by key: one load per document, shared by every socket that opens it. */
export function createRooms({ idleUnloadMs, logger, ...roomOptions }: RoomsOptions): Rooms {
  const entries = new Map<string, Entry>();
  const { host } = roomOptions;

  const unload = async (entry: Entry): Promise<void> => {
    entry.idle = null;
    try {
      await entry.room.flush();
    } catch (error) {
      logger.error({ err: error, doc: id(entry.room.key) }, 'flush before unload failed');
      scheduleIdle(entry);
      return;
    }
    // Someone may have joined while the flush was running; then the room stays.
    if (entry.refs > 0 || entries.get(id(entry.room.key)) !== entry) return;
    entries.delete(id(entry.room.key));
    entry.room.destroy();
    logger.debug({ doc: id(entry.room.key) }, 'unloaded idle document');
  };

  const scheduleIdle = (entry: Entry): void => {
    if (entry.idle || entry.refs > 0) return;
    entry.idle = setTimeout(() => void unload(entry), idleUnloadMs);
    entry.idle.unref();
  };

  return {
    acquire(key) {
      let entry = entries.get(id(key));
      if (!entry) {
        const room = createRoom({ ...roomOptions, key });
        const created: Entry = { room, refs: 0, idle: null };
        entry = created;
        entries.set(id(key), created);
        // A failed load is forgotten so the next socket tries the store again.
        room.ready.catch(() => {
          if (entries.get(id(key)) === created) entries.delete(id(key));
          room.destroy();
        });
      }
      entry.refs += 1;
      if (entry.idle) clearTimeout(entry.idle);
      entry.idle = null;
      return entry.room;
    },
    release(room) {
      const entry = entries.get(id(room.key));
      if (!entry || entry.room !== room) return;
      entry.refs -= 1;
      scheduleIdle(entry);
    },
    all: () => [...entries.values()].map((e) => e.room),
    flushAll: () => host.flush(),
    collectGarbage: () => host.collectGarbage(),
    async closeAll() {
      const all = [...entries.values()];
      entries.clear();
      for (const e of all) {
        if (e.idle) clearTimeout(e.idle);
        e.room.destroy();
      }
      try {
        // Destroyed rooms' queued updates are still written: this is their last chance.
        await host.flush();
      } finally {
        await host.dispose();
      }
    }
  };
}
