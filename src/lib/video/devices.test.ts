import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  classifyMediaError,
  constraintFor,
  loadDevicePrefs,
  openMedia,
  saveDevicePrefs
} from './devices';
import { asStream, FakeMediaStream, FakeTrack, named } from './test-fakes';

beforeEach(() => vi.stubGlobal('MediaStream', FakeMediaStream));
afterEach(() => vi.unstubAllGlobals());

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => data.delete(key),
    setItem: (key, value) => data.set(key, value)
  };
}

describe('device preferences', () => {
  it('remembers the chosen devices', () => {
    const storage = memoryStorage();
    expect(loadDevicePrefs(storage)).toEqual({ audioinput: null, videoinput: null });
    saveDevicePrefs(storage, { audioinput: 'mic-2', videoinput: null });
    expect(loadDevicePrefs(storage)).toEqual({ audioinput: 'mic-2', videoinput: null });
  });

  it('ignores what it did not write', () => {
    const storage = memoryStorage();
    storage.setItem('tandem:video:devices', '{not json');
    expect(loadDevicePrefs(storage)).toEqual({ audioinput: null, videoinput: null });
    storage.setItem(
      'tandem:video:devices',
      JSON.stringify({ audioinput: 42, videoinput: 'x'.repeat(600) })
    );
    expect(loadDevicePrefs(storage)).toEqual({ audioinput: null, videoinput: null });
  });

  it('asks for a remembered device without insisting on it', () => {
    expect(constraintFor(null)).toBe(true);
    expect(constraintFor('cam-2')).toEqual({ deviceId: { ideal: 'cam-2' } });
  });
});

describe('classifyMediaError', () => {
  it.each([
    ['NotAllowedError', 'permission-denied'],
    ['SecurityError', 'permission-denied'],
    ['NotFoundError', 'no-devices'],
    ['OverconstrainedError', 'no-devices'],
    ['NotReadableError', 'device-busy'],
    ['InsecureContextError', 'insecure-context'],
    ['WeirdError', 'unknown']
  ] as const)('%s is %s', (name, kind) => {
    const problem = classifyMediaError(named(name));
    expect(problem.kind).toBe(kind);
    expect(problem.message.length).toBeGreaterThan(20);
  });

  it('tells a blocked permission how to allow it', () => {
    expect(classifyMediaError(named('NotAllowedError')).message).toMatch(/address bar/);
  });
});

describe('openMedia', () => {
  const prefs = { audioinput: 'mic-1', videoinput: null };

  it('opens both devices with the chosen microphone', async () => {
    const getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
      expect(constraints).toEqual({
        audio: { deviceId: { ideal: 'mic-1' } },
        video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24, max: 30 } }
      });
      return asStream(new FakeMediaStream([new FakeTrack('audio'), new FakeTrack('video')]));
    });
    const opened = await openMedia({ audio: true, video: true, prefs, getUserMedia });
    expect(opened.problem).toBeNull();
    expect(opened.stream.getTracks()).toHaveLength(2);
  });

  it('keeps the microphone when there is no camera, and says so', async () => {
    const getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
      if (constraints.video) throw named('NotFoundError');
      return asStream(new FakeMediaStream([new FakeTrack('audio')]));
    });
    const opened = await openMedia({ audio: true, video: true, prefs, getUserMedia });
    expect(opened.stream.getAudioTracks()).toHaveLength(1);
    expect(opened.problem?.kind).toBe('no-devices');
    expect(opened.problem?.message).toMatch(
      /camera was not found: you take part with your microphone only/
    );
  });

  it('does not ask again after a refusal', async () => {
    const getUserMedia = vi.fn(async () => {
      throw named('NotAllowedError');
    });
    const opened = await openMedia({ audio: true, video: true, prefs, getUserMedia });
    expect(getUserMedia).toHaveBeenCalledTimes(1);
    expect(opened.stream.getTracks()).toHaveLength(0);
    expect(opened.problem?.kind).toBe('permission-denied');
  });

  it('reports a busy device when nothing opens', async () => {
    const getUserMedia = vi.fn(async () => {
      throw named('NotReadableError');
    });
    const opened = await openMedia({ audio: true, video: true, prefs, getUserMedia });
    expect(getUserMedia).toHaveBeenCalledTimes(3);
    expect(opened.problem?.kind).toBe('device-busy');
  });

  it('asks for nothing when nothing is wanted', async () => {
    const getUserMedia = vi.fn();
    const opened = await openMedia({ audio: false, video: false, prefs, getUserMedia });
    expect(getUserMedia).not.toHaveBeenCalled();
    expect(opened.problem).toBeNull();
  });
});
