/**
 * Cameras and microphones: opening them with the person's chosen devices,
 * saying clearly why they could not be opened, listing them for the
 * pickers, and remembering the choice (the device check on the landing page
 * and the call in the pad share it).
 */
import type { CallError, DeviceKind } from './types';

export type DevicePrefs = Record<DeviceKind, string | null>;
export type DeviceOption = { deviceId: string; label: string };
export type DeviceLists = Record<DeviceKind, DeviceOption[]>;

const PREFS_KEY = 'tandem:video:devices';
const NO_PREFS: DevicePrefs = { audioinput: null, videoinput: null };

export function loadDevicePrefs(storage: Pick<Storage, 'getItem'>): DevicePrefs {
  try {
    const raw: unknown = JSON.parse(storage.getItem(PREFS_KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return { ...NO_PREFS };
    const pick = (key: DeviceKind): string | null => {
      const value: unknown = (raw as Record<string, unknown>)[key];
      return typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : null;
    };
    return { audioinput: pick('audioinput'), videoinput: pick('videoinput') };
  } catch {
    return { ...NO_PREFS };
  }
}

export function saveDevicePrefs(storage: Pick<Storage, 'setItem'>, prefs: DevicePrefs): void {
  try {
    storage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Private mode or a full storage: the choice lasts for this page only.
  }
}

/** `ideal`, not `exact`: a camera unplugged since it was chosen falls back to the default one. */
export function constraintFor(deviceId: string | null): MediaTrackConstraints | true {
  return deviceId ? { deviceId: { ideal: deviceId } } : true;
}

/**
 * The tiles are small (a strip beside the editor): a 1080p webcam would
 * spend CPU and bandwidth on pixels nobody sees. docs/benchmarks.md has the
 * cost of one call.
 */
export const VIDEO_CAPTURE: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 480 },
  frameRate: { ideal: 24, max: 30 }
};

export function videoConstraintFor(deviceId: string | null): MediaTrackConstraints {
  return { ...VIDEO_CAPTURE, ...(deviceId ? { deviceId: { ideal: deviceId } } : {}) };
}

const MESSAGES: Record<Exclude<CallError['kind'], 'call-full' | 'server-unreachable'>, string> = {
  'permission-denied':
    'Your browser blocks the camera and microphone for this site. Allow them from the camera icon in the address bar (or the site settings), then press Try again.',
  'no-devices':
    'No camera or microphone was found. Plug one in and press Try again. You can still see and hear the others.',
  'device-busy':
    'Your camera or microphone is in use by another application. Close it, then press Try again.',
  'insecure-context':
    'The camera and microphone need a secure (https) connection to Tandem. Ask your administrator.',
  unknown: 'The camera and microphone could not be started.'
};

/** Why getUserMedia failed, in words a candidate can act on. */
export function classifyMediaError(error: unknown): CallError {
  const name = error instanceof Error || isNamed(error) ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return { kind: 'permission-denied', message: MESSAGES['permission-denied'] };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return { kind: 'no-devices', message: MESSAGES['no-devices'] };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return { kind: 'device-busy', message: MESSAGES['device-busy'] };
    case 'InsecureContextError':
      return { kind: 'insecure-context', message: MESSAGES['insecure-context'] };
    default:
      return {
        kind: 'unknown',
        message: `${MESSAGES.unknown}${name ? ` (${name})` : ''} Press Try again.`
      };
  }
}

function isNamed(value: unknown): value is { name: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

/** What is missing when only some devices opened. */
function partialProblem(missing: DeviceKind, cause: CallError): CallError {
  if (cause.kind === 'permission-denied') return cause;
  const what = missing === 'videoinput' ? 'camera' : 'microphone';
  const other = missing === 'videoinput' ? 'microphone' : 'camera';
  const why = cause.kind === 'device-busy' ? 'is in use by another application' : 'was not found';
  return {
    kind: cause.kind === 'device-busy' ? 'device-busy' : 'no-devices',
    message: `Your ${what} ${why}: you take part with your ${other} only.`
  };
}

export type OpenedMedia = { stream: MediaStream; problem: CallError | null };

type GetUserMedia = (constraints: MediaStreamConstraints) => Promise<MediaStream>;

function browserGetUserMedia(): GetUserMedia {
  const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!devices?.getUserMedia) {
    return () =>
      Promise.reject(Object.assign(new Error('insecure'), { name: 'InsecureContextError' }));
  }
  return (constraints) => devices.getUserMedia(constraints);
}

/**
 * Opens the microphone and camera asked for. When both cannot be had, tries
 * each alone, so a missing camera still leaves the microphone (and the
 * reverse); `problem` then says what is missing. A refused permission is not
 * retried: the browser would only refuse again.
 */
export async function openMedia(options: {
  audio: boolean;
  video: boolean;
  prefs: DevicePrefs;
  getUserMedia?: GetUserMedia;
}): Promise<OpenedMedia> {
  const getUserMedia = options.getUserMedia ?? browserGetUserMedia();
  const { audio, video, prefs } = options;
  if (!audio && !video) return { stream: new MediaStream(), problem: null };
  const constraints = {
    audio: audio ? constraintFor(prefs.audioinput) : false,
    video: video ? videoConstraintFor(prefs.videoinput) : false
  };
  try {
    return { stream: await getUserMedia(constraints), problem: null };
  } catch (error) {
    const problem = classifyMediaError(error);
    if (!(audio && video) || problem.kind === 'permission-denied') {
      return { stream: new MediaStream(), problem };
    }
    for (const [kind, only] of [
      ['videoinput', { audio: constraints.audio, video: false }],
      ['audioinput', { audio: false, video: constraints.video }]
    ] as const) {
      try {
        return { stream: await getUserMedia(only), problem: partialProblem(kind, problem) };
      } catch {
        // Try the other device alone.
      }
    }
    return { stream: new MediaStream(), problem };
  }
}

/** The devices for the pickers; labels are empty until the site may use them. */
export async function listDevices(): Promise<DeviceLists> {
  const lists: DeviceLists = { audioinput: [], videoinput: [] };
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.enumerateDevices) return lists;
  const devices = await navigator.mediaDevices.enumerateDevices();
  for (const device of devices) {
    if (device.kind !== 'audioinput' && device.kind !== 'videoinput') continue;
    // "default" stays: it is what an unconstrained getUserMedia opens (Chromium labels it
    // "Default - <name>"), so it is the current device until the person picks another.
    // "communications" is Windows' second alias, which nobody needs here.
    if (device.deviceId === 'communications') continue;
    const list = lists[device.kind];
    const fallback = device.kind === 'audioinput' ? 'Microphone' : 'Camera';
    list.push({
      deviceId: device.deviceId,
      label: device.label || `${fallback} ${list.length + 1}`
    });
  }
  return lists;
}

/** The device a track comes from, for the pickers' current value. */
export function deviceIdOf(track: MediaStreamTrack | undefined): string | null {
  return track?.getSettings().deviceId ?? null;
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
