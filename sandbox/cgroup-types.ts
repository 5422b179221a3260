/**
 * Per-run cgroups on either cgroup v1 (one hierarchy per controller) or the
 * unified v2 tree. The host creates the group before spawning; the spawned
 * wrapper writes its own pid into `procsFiles` before it execs anything, so
 * no instruction of the candidate's program ever runs outside the group.
 */
export interface CgroupLimits {
  memoryBytes: number;
  pids: number;
  /** CPUs' worth of bandwidth (1 = one full core). */
  cpus: number;
}

export interface CgroupStats {
  cpuMs: number;
  memoryKb: number;
  oomKilled: boolean;
}

export interface RunCgroup {
  readonly name: string;
  /** Files the wrapper must write its pid into (one per v1 hierarchy, one on v2). */
  readonly procsFiles: string[];
  /**
   * Sets the limits. With `attachUid`, that uid may move itself in (v1 only:
   * v2 also demands write access to the common ancestor), which lets the
   * wrapper start unprivileged instead of going through setpriv.
   */
  configure(limits: CgroupLimits, attachUid?: number): Promise<void>;
  /** CPU time so far; cheap enough to poll. */
  cpuMs(): Promise<number>;
  stats(): Promise<CgroupStats>;
  /**
   * SIGKILLs every task in the group, including ones forked while we look.
   * `spare` (bwrap's outer monitor) is left alive so that it can reap the
   * sandbox's pid 1 and exit on its own: killing both at once reparents pid 1
   * to the host's init, which in containers often never reaps it.
   */
  kill(spare?: number): Promise<void>;
  /** Kills what is left and removes the group. Safe to call twice. */
  destroy(): Promise<void>;
}

export interface CgroupDriver {
  readonly version: 1 | 2;
  /** Whether an unprivileged process may attach itself to a group configured with its uid. */
  readonly selfAttach: boolean;
  /** Creates an empty group; `configure` it before use. */
  create(name: string): Promise<RunCgroup>;
  /** Removes groups left by a crashed host process (names carry the owner pid). */
  sweep(isStale: (name: string) => boolean): Promise<number>;
}
