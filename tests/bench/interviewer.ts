/**
 * npm run bench:interviewer [-- --turns 6000 --concurrency 200,400 --seconds 20 --think 1000-2000]
 *
 * The offline interviewer engine in one process, no LLM, no database:
 * 1. Turn time: scripted candidates (strong, weak, evasive, silent; one answer in ten near the
 *    4000-character cap) played through `engine.turn` one turn at a time, each turn timed
 *    end to end including the JSON round trip of the state that the app stores between turns.
 *    Also the time of `engine.evaluate` per finished interview.
 * 2. Concurrency: N interviews at once, each candidate answering after a think time drawn from
 *    --think ms; a finished interview starts a new one, so N stay live. Turn latency is measured
 *    from the moment the answer was due (its timer's deadline) to the decision, so event-loop
 *    queueing under load counts. Reports turns/s, p50/p99/max latency, event-loop delay, the
 *    process's CPU share (to tell the engine's cost from a busy machine) and GC pauses.
 * Goals (issue 5, 2 cores): offline turn p99 <= 20 ms; >= 200 concurrent interviews with
 * turn p99 <= 100 ms. Prints each figure with its ratio to the goal; exit code 1 when a goal is missed.
 */
import { cpus } from 'node:os';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  createInterviewEngine,
  loadLibrary,
  resolvePlan,
  type EngineState,
  type InterviewPlan,
  type Question,
  type TranscriptMessage
} from '../../interviewer/index';
import { fixturePlan } from '../../interviewer/engine/test-fixtures';

const { values: flags } = parseArgs({
  options: {
    turns: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '200,400' },
    seconds: { type: 'string', default: '20' },
    think: { type: 'string', default: '1000-2000' },
    template: { type: 'string', default: 'backend-async' }
  }
});
const TURNS = Number(flags.turns);
const LEVELS = flags.concurrency.split(',').map(Number);
const SECONDS = Number(flags.seconds);
const [THINK_MIN, THINK_MAX] = flags.think.split('-').map(Number) as [number, number];
const TURN_GOAL_MS = 20;
const CONCURRENT_GOAL = 200;
const CONCURRENT_P99_GOAL_MS = 100;

/** mulberry32: the same run every time, without Math.random. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN
  };
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

function loadPlan(): { plan: InterviewPlan; source: string } {
  try {
    return {
      plan: resolvePlan(loadLibrary(), flags.template),
      source: `template ${flags.template}`
    };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { plan: fixturePlan(), source: `the test fixture (library unavailable: ${why})` };
  }
}

type Style = 'strong' | 'weak' | 'evasive' | 'silent';
const STYLES: Style[] = ['strong', 'strong', 'weak', 'weak', 'evasive', 'silent'];

const FILLER =
  'In production we had a similar system, and the details depend on the traffic pattern, the team and the budget we had at the time. ';

/** A scripted candidate: answers built from the rubric (strong), generic (weak), evasive or silent. */
function candidate(style: Style, random: () => number) {
  let n = 0;
  return (question: Question): string => {
    n++;
    if (style === 'silent') return '';
    if (style === 'evasive')
      return [
        "I don't know.",
        'Can you repeat that?',
        'My cat likes the sofa more than the bed.',
        'No idea.'
      ][n % 4]!;
    const long = random() < 0.1;
    if (style === 'weak') {
      const line = 'I would probably just add more servers and look at the logs, it depends. ';
      return long ? line + FILLER.repeat(25) : line;
    }
    const concepts = question.rubric.flatMap((d) => d.concepts);
    const picked = [0, 1, 2].map((k) => concepts[(n * 3 + k) % concepts.length]!);
    const answer =
      `I would rely on ${picked[0]!.phrases[0]} and ${picked[1]!.phrases[0]}, measured over 5 minutes; ` +
      `then ${picked[2]!.phrases[0]}, because it keeps p99 under 200 ms at 3000 requests per second. `;
    return long ? (answer + FILLER.repeat(26)).slice(0, 3_990) : answer;
  };
}

type Live = {
  state: EngineState;
  transcript: TranscriptMessage[];
  answer: (q: Question) => string;
  question: Question;
};

function questionOf(plan: InterviewPlan, state: EngineState): Question {
  return plan.sections[state.sectionIndex]!.questions[state.questionIndex]!;
}

async function turnTime(plan: InterviewPlan) {
  const engine = createInterviewEngine();
  const random = prng(1);
  const turnMs: number[] = [];
  const evaluateMs: number[] = [];
  let interviews = 0;
  const clock = { t: Date.parse('2025-01-06T09:00:00Z') };
  while (turnMs.length < TURNS) {
    const answer = candidate(STYLES[interviews % STYLES.length]!, random);
    interviews++;
    let { state } = engine.start(plan, new Date(clock.t));
    const transcript: TranscriptMessage[] = [];
    while (!state.finished && turnMs.length < TURNS) {
      const question = questionOf(plan, state);
      const text = answer(question);
      clock.t += 40_000;
      const now = new Date(clock.t);
      transcript.push({
        id: `c${transcript.length}`,
        speaker: 'candidate',
        text,
        at: now.toISOString(),
        questionId: question.id
      });
      const started = performance.now();
      const stored = JSON.parse(JSON.stringify(state)) as EngineState;
      const result = await engine.turn({ plan, state: stored, transcript, answer: text, now });
      state = JSON.parse(JSON.stringify(result.state)) as EngineState;
      turnMs.push(performance.now() - started);
      transcript.push({
        id: `i${transcript.length}`,
        speaker: 'interviewer',
        text: result.decision.message,
        at: now.toISOString(),
        questionId: result.decision.questionId,
        action: result.decision.action
      });
    }
    if (state.finished) {
      const started = performance.now();
      await engine.evaluate(plan, transcript);
      evaluateMs.push(performance.now() - started);
    }
  }
  return { turns: stats(turnMs), evaluate: stats(evaluateMs), interviews };
}

async function concurrency(plan: InterviewPlan, live: number) {
  const engine = createInterviewEngine();
  const random = prng(live);
  const latencies: number[] = [];
  let turns = 0;
  let started = 0;
  let measuring = false;
  let stopping = false;
  const think = () => THINK_MIN + random() * (THINK_MAX - THINK_MIN);

  const open = (): Live => {
    const answer = candidate(STYLES[started++ % STYLES.length]!, random);
    const { state, decision } = engine.start(plan, new Date());
    const transcript: TranscriptMessage[] = [
      {
        id: 'i0',
        speaker: 'interviewer',
        text: decision.message,
        at: new Date().toISOString(),
        questionId: decision.questionId
      }
    ];
    return { state, transcript, answer, question: questionOf(plan, state) };
  };

  const schedule = (interview: Live) => {
    if (stopping) return;
    const delay = think();
    const due = performance.now() + delay;
    setTimeout(() => void step(interview, due), delay);
  };

  const step = async (interview: Live, due: number) => {
    const text = interview.answer(interview.question);
    const now = new Date();
    interview.transcript.push({
      id: `c${interview.transcript.length}`,
      speaker: 'candidate',
      text,
      at: now.toISOString(),
      questionId: interview.question.id
    });
    // The budgets run on the simulated clock of a real interview: 40 s of interview time per turn.
    const simulated = new Date(
      Date.parse(interview.state.startedAt) + interview.transcript.length * 20_000
    );
    const stored = JSON.parse(JSON.stringify(interview.state)) as EngineState;
    const result = await engine.turn({
      plan,
      state: stored,
      transcript: interview.transcript,
      answer: text,
      now: simulated
    });
    interview.state = JSON.parse(JSON.stringify(result.state)) as EngineState;
    interview.transcript.push({
      id: `i${interview.transcript.length}`,
      speaker: 'interviewer',
      text: result.decision.message,
      at: now.toISOString(),
      questionId: result.decision.questionId
    });
    if (measuring) {
      latencies.push(performance.now() - due);
      turns++;
    }
    if (interview.state.finished) schedule(open());
    else {
      interview.question = questionOf(plan, interview.state);
      schedule(interview);
    }
  };

  for (let i = 0; i < live; i++) schedule(open());
  // Warm-up: one think time, so every interview has started.
  await new Promise((r) => setTimeout(r, THINK_MAX));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const gcPauses: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push(entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  // Stall probe: a 10 ms interval notes its longest gap and how much CPU the process used in it.
  // A long gap with little CPU means the machine did not run us (other processes on the cores);
  // a long gap with CPU means our own work (turns, GC) held the event loop.
  let lastTick = performance.now();
  let lastCpu = process.cpuUsage();
  const stall = { gap: 0, cpu: 0 };
  const probe = setInterval(() => {
    const tick = performance.now();
    const cpuNow = process.cpuUsage();
    const gap = tick - lastTick;
    if (gap > stall.gap) {
      stall.gap = gap;
      stall.cpu = (cpuNow.user - lastCpu.user + cpuNow.system - lastCpu.system) / 1_000;
    }
    lastTick = tick;
    lastCpu = cpuNow;
  }, 10);
  measuring = true;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, SECONDS * 1_000));
  measuring = false;
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (performance.now() - t0) / 1_000;
  loop.disable();
  gc.disconnect();
  clearInterval(probe);
  stopping = true;
  await new Promise((r) => setTimeout(r, THINK_MAX + 50));
  return {
    live,
    turns,
    perSecond: turns / elapsed,
    latency: stats(latencies),
    loopP99: loop.percentile(99) / 1e6,
    interviews: started,
    /** Share of one core the process used while measuring (user + system). */
    cpuShare: (cpu.user + cpu.system) / 1e6 / elapsed,
    gcMax: Math.max(0, ...gcPauses),
    gcTotal: gcPauses.reduce((a, b) => a + b, 0),
    stall
  };
}

async function main() {
  const { plan, source } = loadPlan();
  const questions = plan.sections.reduce((n, s) => n + s.questions.length, 0);
  console.log(
    `interviewer bench, offline engine: ${source} (${questions} questions), node ${process.version}, ${cpus().length} cpus`
  );
  let ok = true;

  const t = await turnTime(plan);
  const turnOk = t.turns.p99 <= TURN_GOAL_MS;
  ok &&= turnOk;
  console.log(
    `\n1. turn time, ${t.turns.n} turns over ${t.interviews} interviews: p50 ${ms(t.turns.p50)}, p99 ${ms(t.turns.p99)}, max ${ms(t.turns.max)}` +
      `\n   goal p99 <= ${TURN_GOAL_MS} ms: ${(t.turns.p99 / TURN_GOAL_MS).toFixed(3)}x of the limit, ${turnOk ? 'met' : 'MISSED'}` +
      `\n   evaluate, ${t.evaluate.n} finished interviews: p50 ${ms(t.evaluate.p50)}, p99 ${ms(t.evaluate.p99)}, max ${ms(t.evaluate.max)}`
  );

  console.log(
    `\n2. concurrent interviews, think time ${THINK_MIN}-${THINK_MAX} ms, ${SECONDS} s measured per level`
  );
  for (const live of LEVELS) {
    const c = await concurrency(plan, live);
    const levelOk = c.latency.p99 <= CONCURRENT_P99_GOAL_MS;
    if (live >= CONCURRENT_GOAL) ok &&= levelOk;
    console.log(
      `   ${String(live).padStart(4)} live: ${c.turns} turns, ${c.perSecond.toFixed(0)} turns/s, latency p50 ${ms(c.latency.p50)}, p99 ${ms(c.latency.p99)}, max ${ms(c.latency.max)}; event-loop delay p99 ${ms(c.loopP99)}` +
        `\n        process CPU ${(c.cpuShare * 100).toFixed(0)}% of one core (${((c.cpuShare * 1_000) / c.perSecond).toFixed(2)} ms per turn), GC pauses max ${ms(c.gcMax)}, total ${ms(c.gcTotal)}` +
        `\n        longest event-loop gap ${ms(c.stall.gap)}, of which process CPU ${ms(c.stall.cpu)}` +
        `\n        goal p99 <= ${CONCURRENT_P99_GOAL_MS} ms: ${(c.latency.p99 / CONCURRENT_P99_GOAL_MS).toFixed(3)}x of the limit, ${levelOk ? 'met' : 'MISSED'}` +
        ` (${live / CONCURRENT_GOAL}x the ${CONCURRENT_GOAL}-interview goal)`
    );
  }
  console.log(`\n${ok ? 'all goals met' : 'a goal was MISSED'}`);
  if (!ok) process.exitCode = 1;
}

await main();
