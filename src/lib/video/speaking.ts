/**
 * The speaking indicator and the microphone meter: the RMS of an audio
 * track's samples from a WebAudio AnalyserNode, smoothed, with hysteresis
 * and a short hold so the ring does not flicker between words.
 */

export type SpeakingOptions = {
  /** Smoothed RMS (0..1) above which someone speaks. Default 0.02. */
  threshold?: number;
  /** Weight of the previous level in the moving average, 0..1. Default 0.6. */
  smoothing?: number;
  /** How long the indicator stays on after the level drops, in ms. Default 400. */
  holdMs?: number;
};

export type Reading = { level: number; speaking: boolean };

/** Root mean square of time-domain samples in -1..1. */
export function rmsOf(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / samples.length);
}

/** Turns a stream of RMS readings into a smoothed level and a steady speaking flag. */
export function createSpeakingDetector(options: SpeakingOptions = {}) {
  const threshold = options.threshold ?? 0.02;
  const smoothing = options.smoothing ?? 0.6;
  const holdMs = options.holdMs ?? 400;
  // Stop a little below the start level: a voice hovering at the threshold stays on.
  const release = threshold * 0.6;
  let level = 0;
  let speaking = false;
  let lastLoud = -Infinity;
  return {
    update(rms: number, now: number): Reading {
      level = smoothing * level + (1 - smoothing) * Math.max(0, rms);
      if (level >= threshold) {
        speaking = true;
        lastLoud = now;
      } else if (speaking && level < release && now - lastLoud >= holdMs) {
        speaking = false;
      } else if (speaking && level >= release) {
        lastLoud = now;
      }
      return { level, speaking };
    }
  };
}

let shared: AudioContext | null = null;

/**
 * One AudioContext for the page. It starts suspended until the person has
 * interacted with the page; the meters resume it when they can.
 */
function audioContext(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  shared ??= new AudioContext();
  if (shared.state === 'suspended') void shared.resume().catch(() => undefined);
  return shared;
}

const INTERVAL_MS = 80;

/**
 * Reads an audio track's level until the returned function is called.
 * Remote WebRTC audio must also play in a media element for Chromium to feed
 * WebAudio with it: the tiles' <video> elements do that.
 */
export function meterTrack(
  track: MediaStreamTrack,
  onReading: (reading: Reading) => void,
  options: SpeakingOptions = {}
): () => void {
  const context = audioContext();
  if (!context) return () => undefined;
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const detector = createSpeakingDetector(options);
  let last: Reading = { level: -1, speaking: false };
  const timer = setInterval(() => {
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    // A muted track (enabled = false) yields silence: the indicator goes off by itself.
    analyser.getFloatTimeDomainData(samples);
    const reading = detector.update(rmsOf(samples), performance.now());
    if (reading.speaking !== last.speaking || Math.abs(reading.level - last.level) > 0.002) {
      last = reading;
      onReading(reading);
    }
  }, INTERVAL_MS);
  return () => {
    clearInterval(timer);
    source.disconnect();
    analyser.disconnect();
  };
}
