/**
 * Video calls in the pad (issue 6). The public face of `$lib/video`:
 * `createCall` picks the mode from what the server answered, the rest is
 * what the components need.
 */
import type { SessionRole } from '$realtime/events/contracts';
import type { VideoConfig } from '$lib/contracts/video';
import type { DevicePrefs } from './devices';
import { createMeshCall } from './mesh';
import type { CallSignaling } from './signaling';
import type { Call, CallLog } from './types';

export type CreateCallOptions = {
  config: VideoConfig;
  /** The pad's session socket: the peer-to-peer mode signals over it. */
  signaling: CallSignaling;
  self: { name: string; role: SessionRole };
  prefs: DevicePrefs;
  savePrefs?: (prefs: DevicePrefs) => void;
  log?: CallLog;
};

/** A call in the configured mode; LiveKit's client is loaded only when LiveKit is configured. */
export async function createCall(options: CreateCallOptions): Promise<Call> {
  const { config, ...rest } = options;
  if (config.mode === 'livekit') {
    const { createLiveKitCall } = await import('./livekit');
    return createLiveKitCall({
      ...rest,
      url: config.url,
      token: config.token,
      canPublish: config.canPublish
    });
  }
  return createMeshCall({ ...rest, iceServers: config.iceServers, canPublish: config.canPublish });
}

export { fetchVideoConfig, videoTokenUrl } from './endpoints';
export { sessionSignaling, type CallSignaling } from './signaling';
export {
  listDevices,
  loadDevicePrefs,
  openMedia,
  saveDevicePrefs,
  stopStream,
  type DeviceLists,
  type DevicePrefs
} from './devices';
export { meterTrack, type Reading } from './speaking';
export { initials, statusLine } from './call-state';
export type * from './types';
