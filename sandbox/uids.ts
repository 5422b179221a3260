import { readFileSync } from 'node:fs';

/**
 * One unprivileged host uid per slot, so two concurrent runs never share an
 * owner (signals, /proc, files) and no run is ever host uid 0. The range must
 * not belong to real accounts; several sandbox processes on one host need
 * disjoint ranges (option `uidBase`).
 */
export const DEFAULT_UID_BASE = 60001;
const MAX_UID = 65533; // 65534 is nobody, 65535 is (uid_t)-1 on 16-bit tools

export interface Slot {
  index: number;
  uid: number;
}

export function slotUids(base: number, count: number): Slot[] {
  if (!Number.isInteger(base) || base < 1000)
    throw new Error(`uidBase must be an integer >= 1000, got ${base}`);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`slots must be a positive integer, got ${count}`);
  if (base + count - 1 > MAX_UID)
    throw new Error(`uid range ${base}..${base + count - 1} passes ${MAX_UID}`);
  return Array.from({ length: count }, (_, index) => ({ index, uid: base + index }));
}

/** Uids in the range that /etc/passwd already gives to an account. */
export function uidsInUse(slots: Slot[], passwd = readPasswd()): number[] {
  const used = new Set(
    passwd
      .split('\n')
      .map((line) => Number(line.split(':')[2]))
      .filter(Number.isInteger)
  );
  return slots.map((slot) => slot.uid).filter((uid) => used.has(uid));
}

function readPasswd(): string {
  try {
    return readFileSync('/etc/passwd', 'utf8');
  } catch {
    return '';
  }
}
