import { describe, expect, it } from 'vitest';
import { parseStartedStatus } from './process';

describe('parseStartedStatus', () => {
  it('reads the pid and network namespace once the first object is complete', () => {
    const line =
      '{ "child-pid": 14590, "cgroup-namespace": 4026532182, "net-namespace": 4026532183 }\n';
    expect(parseStartedStatus(line.slice(0, 30))).toBeUndefined();
    expect(parseStartedStatus(line)).toEqual({ pid: 14590, netNamespace: 4026532183 });
    expect(parseStartedStatus('{ "child-pid": 7 }')).toEqual({ pid: 7, netNamespace: undefined });
    expect(parseStartedStatus('{ "exit-code": 1 }')).toBeUndefined();
  });
});
