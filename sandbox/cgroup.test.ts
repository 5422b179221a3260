import { describe, expect, it } from 'vitest';
import { detectCgroups } from './cgroup';

const V1 = `cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0
cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0
cgroup /sys/fs/cgroup/freezer cgroup rw,relatime,freezer 0 0
cgroup2 /nonexistent/unified cgroup2 rw,relatime 0 0
`;

describe('detectCgroups', () => {
  it('uses v1 when the v2 mount offers no controllers (hybrid hosts)', async () => {
    const driver = await detectCgroups(V1);
    expect(driver?.version).toBe(1);
    expect(driver?.selfAttach).toBe(true);
  });

  it('finds nothing without memory and pids accounting', async () => {
    expect(await detectCgroups('proc /proc proc rw 0 0\n')).toBeUndefined();
  });
});
