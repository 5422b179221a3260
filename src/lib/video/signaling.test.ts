import { describe, expect, it } from 'vitest';
import { parseSignal } from './signaling';

describe('parseSignal', () => {
  it('accepts descriptions and candidates', () => {
    expect(parseSignal({ from: 'p1', description: { type: 'offer', sdp: 'v=0\r\n' } }).ok).toBe(
      true
    );
    expect(parseSignal({ from: 'p1', description: { type: 'rollback', sdp: '' } }).ok).toBe(true);
    expect(
      parseSignal({
        from: 'p1',
        candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host' }
      }).ok
    ).toBe(true);
    expect(parseSignal({ from: 'p1', candidate: null }).ok).toBe(true);
  });

  it.each([
    ['not an object', 'garbage'],
    ['no sender', { description: { type: 'offer', sdp: 'v=0' } }],
    ['not a session description', { from: 'p1', description: { type: 'offer', sdp: '<html>' } }],
    ['an unknown type', { from: 'p1', description: { type: 'surprise', sdp: 'v=0' } }],
    [
      'a huge description',
      { from: 'p1', description: { type: 'offer', sdp: `v=0${'a'.repeat(100_001)}` } }
    ],
    ['a huge candidate', { from: 'p1', candidate: { candidate: 'c'.repeat(3000) } }],
    ['nothing at all', { from: 'p1' }]
  ])('refuses %s', (_what, input) => {
    const result = parseSignal(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });
});
