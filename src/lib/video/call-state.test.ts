import { describe, expect, it } from 'vitest';
import {
  initials,
  isPolite,
  linkStateOf,
  orderTiles,
  statusLine,
  visibleRemotes
} from './call-state';
import type { CallSnapshot, CallTile } from './types';

const tile = (id: string, role: CallTile['role'], name = id): CallTile => ({
  id,
  name,
  role,
  local: false,
  stream: null,
  audio: true,
  video: true,
  link: 'connected'
});

describe('isPolite', () => {
  it('makes exactly one side of every pair polite', () => {
    for (const [a, b] of [
      ['abc', 'abd'],
      ['Zx9', 'aa1'],
      ['socket-1', 'socket-10']
    ] as const) {
      expect(isPolite(a, b)).not.toBe(isPolite(b, a));
    }
  });
});

describe('visibleRemotes', () => {
  it('shows the interviewer before the candidate and counts the watchers apart', () => {
    const { remotes, watching } = visibleRemotes([
      tile('c', 'candidate', 'Cleo'),
      tile('h', 'hiring_manager', 'Hugo'),
      tile('i2', 'interviewer', 'Zoe'),
      tile('o', 'observer', 'Olga'),
      tile('i1', 'interviewer', 'Ines')
    ]);
    expect(remotes.map((t) => t.id)).toEqual(['i1', 'i2', 'c']);
    expect(watching).toBe(2);
  });

  it('keeps a stable order for equal names', () => {
    const ordered = orderTiles([tile('b', 'candidate', 'Sam'), tile('a', 'candidate', 'Sam')]);
    expect(ordered.map((t) => t.id)).toEqual(['a', 'b']);
  });
});

describe('linkStateOf', () => {
  it('shows a failed connection as reconnecting while ICE restarts are left', () => {
    expect(linkStateOf('failed', true)).toBe('reconnecting');
    expect(linkStateOf('failed', false)).toBe('failed');
    expect(linkStateOf('disconnected', true)).toBe('reconnecting');
    expect(linkStateOf('new', true)).toBe('connecting');
    expect(linkStateOf('connecting', true)).toBe('connecting');
    expect(linkStateOf('connected', false)).toBe('connected');
  });
});

describe('statusLine', () => {
  const base: CallSnapshot = {
    mode: 'p2p',
    status: 'connected',
    error: null,
    mediaProblem: null,
    canPublish: true,
    self: null,
    remotes: [],
    watching: 0,
    devices: { audioinput: null, videoinput: null }
  };

  it('says whether anyone else is there', () => {
    expect(statusLine(base)).toBe('Waiting for the others…');
    expect(statusLine({ ...base, remotes: [tile('c', 'candidate')] })).toBe('2 in the call');
    expect(statusLine({ ...base, status: 'reconnecting' })).toBe('Reconnecting…');
    expect(statusLine({ ...base, status: 'idle' })).toBe('Not in the call');
  });
});

describe('initials', () => {
  it('takes two letters, and a question mark for nothing', () => {
    expect(initials('Cleo  Candidate')).toBe('CC');
    expect(initials('ines')).toBe('I');
    expect(initials('')).toBe('?');
  });
});
