/**
 * The asynchronous AI interview end to end (issue 5), on the offline
 * interviewer: a candidate opens their link, agrees to the recording notice,
 * starts, answers every question in the browser (typing, Enter), writes and
 * runs code in the coding section and answers questions about it, until the
 * closing message. A reload mid-interview resumes with the same messages; a
 * stale tab is refused without losing what was typed. A staff user then
 * reads the transcript and the evaluation on the interview page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../helpers/app';
import { createInterview, type CreatedInterview } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';
import { launchBrowser, screenshotPath, hydrated } from './browser';

const VIEWPORT = { width: 1440, height: 900 };
const CANDIDATE = 'Dana Candidate';
const STAFF_EMAIL = 'hana@ai-e2e.test';

/** Answers that cover many rubric points, so questions move on; a non-answer now and then. */
const ANSWERS = [
  'I would keep the old field and add the structured address next to it, so it is an additive change. Anything breaking goes behind a version in the URL path, with deprecation headers, a sunset date and usage metrics to see who still calls the old version.',
  "First I would check the dashboards and recent deploys, roll back if a deploy lines up with the errors, and communicate status to stakeholders. Then I'd find the root cause in logs and traces and write a blameless postmortem with action items.",
  'An idempotency key with a unique constraint on the payments table, the order and an outbox row written in one transaction, and retries with exponential backoff and jitter. A reconciliation job compares our records with the provider every hour.',
  "I don't know.",
  'Cache-aside with a TTL of a few minutes, invalidation on write through an event, and request coalescing so a hot key does not cause a stampede. I would watch hit rate, p99 latency and error rate, with alerts.',
  'A bounded queue between them: when it is full we apply backpressure and answer 429, consumers scale on queue depth, and poison messages go to a dead letter queue after five retries.'
];
const CODE_ANSWERS = [
  'I count attempts including the first attempt, so the loop bound is max attempts; I check the deadline before sleeping with the remaining budget, and keep the last error to re-raise it.',
  'Exponential backoff with full jitter spreads out retries and avoids a retry storm or thundering herd; the cap is the max delay, and I respect Retry-After because the server knows best.',
  "I don't know."
];
/** A first version of the coding task: two helpers the interviewer can ask about. */
const PROGRAM = [
  'import random',
  '',
  'RETRYABLE = {429, 502, 503, 504}',
  '',
  '',
  'def is_retryable(status):',
  '    return status in RETRYABLE',
  '',
  '',
  'def backoff_delay(attempt, base_ms, max_ms, rng):',
  '    return rng.random() * min(max_ms, base_ms * 2 ** (attempt - 1))',
  '',
  '',
  'def main():',
  '    rng = random.Random(7)',
  '    for attempt in range(1, 4):',
  '        wait = round(backoff_delay(attempt, 100, 2000, rng))',
  '        print(f"attempt={attempt} retryable={is_retryable(503)} wait={wait}", flush=True)',
  '',
  '',
  'if __name__ == "__main__":',
  '    main()',
  ''
].join('\n');

let app: TestApp;
let browser: Browser;
let staff: SeededActor;
let created: CreatedInterview;
let candidate: BrowserContext;
let cpage: Page;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const databaseUrl = app.databaseUrl;
  if (!databaseUrl) throw new Error('the AI interview tests need the app on a test database');
  staff = await seed(databaseUrl, async (s) => {
    const org = await s.org('AI end to end');
    return s.actor({
      organizationId: org.id,
      email: STAFF_EMAIL,
      role: 'interviewer',
      name: 'Hana Hiring'
    });
  });
  created = await createInterview(app.api(staff.token), {
    kind: 'async',
    title: 'Backend engineer, async',
    candidate: { name: CANDIDATE, email: 'dana@ai-e2e.test' }
  });
});

afterAll(async () => {
  await candidate?.close();
  await browser?.close();
  await app?.stop();
});

type Snapshot = {
  status: string;
  interviewer: number;
  texts: string[];
  inputEnabled: boolean;
  section: string | null;
};

/** What the candidate's page shows right now. */
function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const root = document.querySelector<HTMLElement>('[data-testid=ai-interview]');
    const saved = [
      ...document.querySelectorAll<HTMLElement>('[data-testid=messages] li[data-state=saved]')
    ];
    const input = document.querySelector<HTMLTextAreaElement>('#answer-input');
    return {
      status: root?.dataset.status ?? 'missing',
      interviewer: saved.filter((li) => li.dataset.speaker === 'interviewer').length,
      texts: saved.map((li) => (li.textContent ?? '').trim()),
      inputEnabled: input !== null && !input.disabled,
      section:
        document.querySelector('[data-testid=sections] li[data-state=current] .title')
          ?.textContent ?? null
    };
  });
}

/** Polls until `check` passes; tests wait for conditions, never for time. */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 20_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** Types an answer, presses Enter, and waits for the interviewer's reply (or the end). */
async function answer(page: Page, text: string): Promise<Snapshot> {
  const before = await until(
    'the answer box to open',
    () => snapshot(page),
    (s) => s.inputEnabled
  );
  await page.fill('#answer-input', text);
  await page.press('#answer-input', 'Enter');
  return until(
    'the interviewer to reply',
    () => snapshot(page),
    (s) => s.status === 'finished' || (s.interviewer > before.interviewer && s.inputEnabled)
  );
}

function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [
      ...document.querySelectorAll<HTMLElement>('.monaco-editor .view-lines .view-line')
    ];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  });
}

/** Replaces the entry file with the program (a paste, as a candidate would) and runs it. */
async function writeAndRun(page: Page): Promise<void> {
  await page.locator('[data-testid=code-editor][data-ready=true]').waitFor({ timeout: 30_000 });
  await until(
    'the starter code',
    () => editorText(page),
    (t) => t.trim().length > 0
  );
  await page.click('.monaco-editor .view-lines');
  await page.keyboard.press('Control+A');
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
    );
  }, PROGRAM);
  await until(
    'the program in the editor',
    () => editorText(page),
    // Monaco renders only the lines in view, and the paste leaves the view at the program's end.
    (t) => t.includes('retryable={is_retryable(503)} wait={wait}')
  );
  await page.locator('[data-testid=run]:enabled').waitFor({ timeout: 20_000 });
  await page.getByTestId('run').click();
  await page.getByTestId('run-status').filter({ hasText: 'Finished' }).waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('stdout').textContent()).toContain('attempt=1 retryable=True');
}

describe('the AI interview', () => {
  it('opens from the link after consent, with instructions and a Start button', async () => {
    candidate = await browser.newContext({ viewport: VIEWPORT });
    cpage = await candidate.newPage();
    await cpage.goto(created.candidateLink);
    expect(await cpage.locator('.recorded').textContent()).toMatch(/conversation/i);
    await cpage.check('input[name=agree]');
    await cpage.click('button:has-text("I agree")');

    await cpage.getByTestId('ai-intro').waitFor();
    expect(await cpage.getByTestId('ai-intro').textContent()).toMatch(/saved after every message/);
    await cpage.getByTestId('start-interview').click();
    const first = await until(
      'the first question',
      () => snapshot(cpage),
      (s) => s.status === 'in_progress' && s.interviewer === 1 && s.inputEnabled
    );
    expect(first.texts[0]).toMatch(/Question 1 of/);
    expect(first.section).toBe('Design trade-offs');
    await cpage.getByTestId('section-clock').waitFor();
    expect(await cpage.getByTestId('deadline-clock').textContent()).toMatch(/\d+:\d\d/);
  });

  it('answers with Enter, keeps Shift+Enter as a new line, and counts near the cap', async () => {
    await cpage.click('#answer-input');
    await cpage.keyboard.type('First line');
    await cpage.keyboard.press('Shift+Enter');
    await cpage.keyboard.type('second line');
    expect(await cpage.inputValue('#answer-input')).toBe('First line\nsecond line');
    await cpage.fill('#answer-input', 'x'.repeat(4100));
    expect(await cpage.getByTestId('char-count').textContent()).toMatch(/100 characters over/);
    expect(await cpage.getByTestId('send').isDisabled()).toBe(true);

    const after = await answer(cpage, ANSWERS[0] ?? '');
    expect(after.texts.some((t) => t.includes('structured address next to it'))).toBe(true);
    expect(after.interviewer).toBe(2);
  });

  it('resumes after a reload with exactly the same messages', async () => {
    const before = await snapshot(cpage);
    await cpage.reload();
    const after = await until(
      'the conversation after the reload',
      () => snapshot(cpage),
      (s) => s.status === 'in_progress' && s.inputEnabled
    );
    expect(after.texts).toEqual(before.texts);
  });

  it('refuses an answer from a stale tab and keeps what was typed', async () => {
    const other = await candidate.newPage();
    await other.goto(created.candidateLink);
    await until(
      'the second tab',
      () => snapshot(other),
      (s) => s.inputEnabled
    );
    await answer(other, ANSWERS[1] ?? '');
    await other.close();

    const stale = 'An answer typed in the tab that fell behind.';
    await cpage.fill('#answer-input', stale);
    await cpage.press('#answer-input', 'Enter');
    await cpage.getByTestId('reload').waitFor();
    expect(await cpage.getByTestId('ai-notice').textContent()).toMatch(/another tab/);
    expect(await cpage.inputValue('#answer-input')).toBe(stale);
    await cpage.getByTestId('reload').click();
    const fresh = await until(
      'the conversation from the other tab',
      () => snapshot(cpage),
      (s) => s.inputEnabled && s.texts.some((t) => t.includes('blameless postmortem'))
    );
    expect(fresh.texts.some((t) => t.includes(stale))).toBe(false);
    expect(await cpage.inputValue('#answer-input')).toBe(stale);
    await cpage.fill('#answer-input', '');
  });

  it('runs to the closing message, with code written and run in the coding section', async () => {
    let state = await snapshot(cpage);
    let turn = 0;
    let coded = false;
    let codingShot = false;
    for (; state.status !== 'finished' && turn < 150; turn++) {
      const coding = state.section === 'Coding';
      if (coding && !coded) {
        await cpage.getByTestId('coding-pad').waitFor({ timeout: 30_000 });
        expect(await cpage.getByTestId('coding-task').textContent()).toMatch(/call_with_retry/);
        await writeAndRun(cpage);
        coded = true;
      }
      if (turn === 2) {
        // A draft in the box, as a candidate sees the page mid-answer.
        await cpage.fill(
          '#answer-input',
          'We would start with a queue between the two services, and'
        );
        const shot = screenshotPath('ai-interview-candidate');
        if (shot) await cpage.screenshot({ path: shot });
      }
      const pool = coding ? CODE_ANSWERS : ANSWERS;
      state = await answer(cpage, pool[turn % pool.length] ?? '');
      if (coding && !codingShot && state.status === 'in_progress') {
        // The interviewer asks about the candidate's own function, by name.
        expect(state.texts.join('\n')).toMatch(/is_retryable|backoff_delay|last run/);
        const shot = screenshotPath('ai-interview-coding');
        if (shot) await cpage.screenshot({ path: shot });
        codingShot = true;
      }
    }
    expect(coded).toBe(true);
    expect(state.status).toBe('finished');
    await cpage.getByTestId('ai-closing').waitFor();
    expect(await cpage.getByTestId('closing-message').textContent()).toMatch(/thank/i);
  });

  it('shows staff the transcript and the evaluation on the interview page', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const page = await context.newPage();
      await page.goto(`${app.url}/login`);
      await hydrated(page);
      await page.fill('#email', STAFF_EMAIL);
      await page.fill('#password', staff.password);
      await page.click('button:has-text("Sign in")');
      await page.waitForURL(/\/interviews/);
      await page.goto(`${app.url}/interviews/${created.interview.id}`);

      // The evaluation is written just after the end; the page picks it up by itself.
      await page.getByTestId('score').first().waitFor({ timeout: 30_000 });
      const scores = await page
        .getByTestId('score')
        .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.score)));
      expect(scores.length).toBeGreaterThan(4);
      expect(scores.every((s) => s >= 1 && s <= 4)).toBe(true);
      expect(await page.getByTestId('average-score').textContent()).toMatch(/\d\.\d/);
      expect(await page.getByTestId('evaluation-summary').textContent()).not.toBe('');
      expect(await page.locator('[data-testid=evaluation] blockquote').count()).toBeGreaterThan(0);

      const transcript = page.getByTestId('transcript');
      expect(await transcript.textContent()).toContain('blameless postmortem');
      expect(await transcript.textContent()).toContain(CANDIDATE);
      expect(await transcript.locator('h3', { hasText: 'Retry with backoff' }).count()).toBe(1);
      expect(await transcript.getByTestId('dimension').count()).toBeGreaterThan(0);

      const shot = screenshotPath('ai-interview-staff');
      if (shot) {
        // The evaluation's title just under the sticky header.
        await page
          .getByTestId('evaluation')
          .evaluate((card) => window.scrollTo(0, card.getBoundingClientRect().top + scrollY - 72));
        await page.screenshot({ path: shot });
      }
    } finally {
      await context.close();
    }
  });
});
