import { describe, expect, it } from 'vitest';
import { createSpeakingDetector, rmsOf } from './speaking';

describe('rmsOf', () => {
  it('is the root mean square of the samples', () => {
    expect(rmsOf(new Float32Array([0.5, -0.5, 0.5, -0.5]))).toBeCloseTo(0.5);
    expect(rmsOf(new Float32Array([]))).toBe(0);
  });
});

describe('createSpeakingDetector', () => {
  it('turns on above the threshold and holds through a short pause', () => {
    const detector = createSpeakingDetector({ threshold: 0.02, smoothing: 0.5, holdMs: 400 });
    let t = 0;
    const feed = (rms: number, ms: number) => {
      let reading = detector.update(rms, t);
      for (let elapsed = 80; elapsed < ms; elapsed += 80) {
        t += 80;
        reading = detector.update(rms, t);
      }
      t += 80;
      return reading;
    };
    expect(feed(0.001, 400).speaking).toBe(false);
    expect(feed(0.1, 240).speaking).toBe(true);
    // A breath between words: the level drops, the ring stays.
    expect(feed(0, 200).speaking).toBe(true);
    expect(feed(0, 800).speaking).toBe(false);
  });

  it('does not flicker on a single click of noise', () => {
    const detector = createSpeakingDetector({ threshold: 0.05, smoothing: 0.8 });
    expect(detector.update(0.1, 0).speaking).toBe(false);
    expect(detector.update(0, 80).speaking).toBe(false);
  });

  it('keeps speaking while the level hovers just under the start threshold', () => {
    const detector = createSpeakingDetector({ threshold: 0.02, smoothing: 0, holdMs: 0 });
    expect(detector.update(0.03, 0).speaking).toBe(true);
    expect(detector.update(0.015, 80).speaking).toBe(true);
    expect(detector.update(0.005, 160).speaking).toBe(false);
  });
});
