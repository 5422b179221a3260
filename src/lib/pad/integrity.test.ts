import { describe, expect, it } from 'vitest';
import type { IntegrityReport } from '$realtime/events/contracts';
import { integrityReportSchema } from '$realtime/events/contracts';
import { createIntegrityMonitor, type IntegrityThresholds } from './integrity';

function setup(thresholds: Partial<IntegrityThresholds> = {}) {
  const reports: IntegrityReport[] = [];
  let clock = 1_000_000;
  const monitor = createIntegrityMonitor({
    report: (r) => reports.push(integrityReportSchema.parse(r)),
    thresholds,
    now: () => clock
  });
  return {
    monitor,
    reports,
    tick(ms: number) {
      clock += ms;
    }
  };
}

describe('integrity monitor', () => {
  it('reports a paste from outside the editor as external, with its size', () => {
    const { monitor, reports } = setup();
    monitor.pasted('def solve():\n    return 42\n', 'main.py');
    expect(reports).toEqual([{ kind: 'paste', chars: 27, external: true, file: 'main.py' }]);
  });

  it('knows text copied or cut inside the editor, whatever its line endings', () => {
    const { monitor, reports } = setup();
    monitor.copied('for x in items:\r\n    total += x\n');
    monitor.pasted('for x in items:\n    total += x');
    // A part of something copied inside is internal too.
    monitor.pasted('total += x');
    expect(reports.map((r) => r.kind === 'paste' && r.external)).toEqual([false, false]);
  });

  it('does not count a paste as a large insert or as typing', () => {
    const { monitor, reports, tick } = setup();
    const big = 'x'.repeat(500);
    monitor.pasted(big);
    tick(5);
    monitor.inserted(500);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.kind).toBe('paste');
  });

  it('reports one large insert that was not a paste (e.g. dropped text or a typing robot)', () => {
    const { monitor, reports, tick } = setup();
    monitor.pasted('short');
    tick(2_000);
    // Too long after the paste to be it.
    monitor.inserted(250, 'main.py');
    expect(reports.at(-1)).toEqual({ kind: 'large_insert', chars: 250, file: 'main.py' });
    // Below the threshold, and below a typing burst.
    monitor.inserted(100);
    expect(reports).toHaveLength(2);
  });

  it('reports a typing burst once per burst, and not ordinary fast typing', () => {
    const { monitor, reports, tick } = setup();
    // 7 characters a second for 30 s: a fast typist.
    for (let i = 0; i < 210; i++) {
      monitor.inserted(1);
      tick(1000 / 7);
    }
    expect(reports).toEqual([]);
    // 20 characters a second: 120 characters within 6 s.
    for (let i = 0; i < 130; i++) {
      monitor.inserted(1);
      tick(50);
    }
    const bursts = reports.filter((r) => r.kind === 'typing_burst');
    expect(bursts).toHaveLength(1);
    expect(bursts[0]).toMatchObject({ kind: 'typing_burst', chars: 120 });
    expect(bursts[0]?.kind === 'typing_burst' && bursts[0].ms).toBeLessThanOrEqual(10_000);
  });

  it('reports focus lost once and regained with the time away, across blur and hidden tab', () => {
    const { monitor, reports, tick } = setup();
    monitor.away('window', true);
    tick(300);
    monitor.away('tab', true);
    tick(4_000);
    monitor.away('tab', false);
    // Still away: the window has no focus yet.
    expect(reports).toEqual([{ kind: 'focus_lost' }]);
    tick(700);
    monitor.away('window', false);
    expect(reports).toEqual([{ kind: 'focus_lost' }, { kind: 'focus_regained', awayMs: 5_000 }]);
    monitor.away('window', false);
    expect(reports).toHaveLength(2);
  });

  it('honours custom thresholds', () => {
    const { monitor, reports } = setup({ largeInsertChars: 10, burstChars: 5 });
    monitor.inserted(12);
    monitor.inserted(3);
    monitor.inserted(3);
    expect(reports.map((r) => r.kind)).toEqual(['large_insert', 'typing_burst']);
  });
});
