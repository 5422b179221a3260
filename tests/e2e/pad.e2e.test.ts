/**
 * The live pad end to end (issue 4): an interviewer and a candidate in two
 * browser contexts type into the same file at once and converge, see each
 * other's named cursors, watch a candidate's run stream onto the
 * interviewer's screen, and the candidate never receives the interviewer's
 * notes or the integrity markers about them. Ending the session makes the
 * candidate's editor read-only.
 */
import type { Browser, BrowserContext, Page, WebSocket as PageSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../helpers/app';
import { createInterview } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';
import { launchBrowser, screenshotPath, hydrated } from './browser';

const VIEWPORT = { width: 1440, height: 900 };
const INTERVIEWER = 'Ines Interviewer';
const CANDIDATE = 'Cleo Candidate';
const NOTES_SECRET = 'Private note: probe caching, strong on SQL (x7q)';
const PROGRAM = [
  'import time',
  '',
  'print(f"hello {input()}", flush=True)',
  'for i in range(1, 7):',
  '    print(f"line {i}", flush=True)',
  '    time.sleep(0.5)',
  ''
].join('\n');

let app: TestApp;
let browser: Browser;
let interviewer: SeededActor;
let staff: BrowserContext;
let candidate: BrowserContext;
let ipage: Page;
let cpage: Page;
/** Every websocket frame the candidate's page received, as text (binary frames decoded as UTF-8). */
const candidateFrames: string[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const databaseUrl = app.databaseUrl;
  if (!databaseUrl) throw new Error('the pad tests need the app on a test database');
  interviewer = await seed(databaseUrl, async (s) => {
    const org = await s.org('Pad end to end');
    return s.actor({
      organizationId: org.id,
      email: 'ines@pad-e2e.test',
      role: 'interviewer',
      name: INTERVIEWER
    });
  });
});

afterAll(async () => {
  await staff?.close();
  await candidate?.close();
  await browser?.close();
  await app?.stop();
});

/** The editor's text as Monaco renders it (lines in order of their position). */
function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [
      ...document.querySelectorAll<HTMLElement>('.monaco-editor .view-lines .view-line')
    ];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  });
}

/** Polls until `check` passes; tests wait for conditions, never for time. */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000
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

async function editorReady(page: Page): Promise<void> {
  await page.locator('[data-testid=code-editor][data-ready=true]').waitFor();
  await until(
    'the seeded starter code',
    () => editorText(page),
    (t) => t.includes('Hello')
  );
}

function recordFrames(socket: PageSocket): void {
  socket.on('framereceived', ({ payload }) => {
    candidateFrames.push(typeof payload === 'string' ? payload : payload.toString('utf8'));
  });
}

describe('the live pad', () => {
  it('opens for the interviewer and, after consent, for the candidate', async () => {
    const { interview, candidateLink } = await createInterview(app.api(interviewer.token), {
      title: 'Order service pairing',
      candidate: { name: CANDIDATE, email: 'cleo@pad-e2e.test' }
    });

    staff = await browser.newContext({ viewport: VIEWPORT });
    ipage = await staff.newPage();
    await ipage.goto(`${app.url}/login`);
    await hydrated(ipage);
    await ipage.fill('#email', 'ines@pad-e2e.test');
    await ipage.fill('#password', interviewer.password);
    await ipage.click('button:has-text("Sign in")');
    await ipage.waitForURL(/\/interviews/);
    await ipage.goto(`${app.url}/interviews/${interview.id}`);
    await ipage.getByTestId('open-pad').click();
    await ipage.waitForURL(/\/pad$/);
    await editorReady(ipage);

    candidate = await browser.newContext({ viewport: VIEWPORT });
    cpage = await candidate.newPage();
    cpage.on('websocket', recordFrames);
    await cpage.goto(candidateLink);
    // The landing page says what is recorded before the candidate agrees.
    const recorded = await cpage.locator('.recorded').textContent();
    expect(recorded).toMatch(/keystroke/i);
    expect(recorded).toMatch(/Pastes/);
    expect(recorded).toMatch(/typing/);
    await cpage.check('input[name=agree]');
    await cpage.click('button:has-text("I agree")');
    await cpage.getByTestId('join-pad').click();
    await editorReady(cpage);

    for (const page of [ipage, cpage]) {
      await page.locator('[data-testid=connection][data-status=connected]').waitFor();
    }
    await ipage.getByTestId('presence').getByText(CANDIDATE).waitFor();
    expect(await cpage.getByTestId('presence').textContent()).toContain(INTERVIEWER);

    // The interviewer starts the session timer; both see it count down.
    await ipage.fill('#timer-minutes', '45');
    await ipage.getByRole('button', { name: 'Start timer' }).click();
    const clock = await until(
      'the timer on the candidate side',
      async () => (await cpage.getByTestId('timer').textContent()) ?? '',
      (text) => /4[45]:\d\d/.test(text)
    );
    expect(clock).toMatch(/4[45]:\d\d/);
  });

  it('(a) converges when both type into the same file at once', async () => {
    await ipage.click('.monaco-editor .view-lines');
    await ipage.keyboard.press('Control+Home');
    await cpage.click('.monaco-editor .view-lines');
    await cpage.keyboard.press('Control+End');
    await Promise.all([
      ipage.keyboard.type('# reviewed by the interviewer\n', { delay: 15 }),
      cpage.keyboard.type('# written by the candidate', { delay: 15 })
    ]);
    const [a, b] = await until(
      'both editors to show both edits',
      () => Promise.all([editorText(ipage), editorText(cpage)]),
      ([x, y]) => x === y && x.includes('# written by the candidate')
    );
    expect(a).toBe(b);
    expect(a.startsWith('# reviewed by the interviewer\n')).toBe(true);
    expect(a).toContain('Hello from Tandem');
  });

  it("(b) shows each participant the other's named cursor", async () => {
    const label = (page: Page) =>
      page.evaluate(() => {
        const head = document.querySelector('.yRemoteSelectionHead');
        return head ? getComputedStyle(head, '::after').content : '';
      });
    expect(
      await until(
        'the candidate label',
        () => label(ipage),
        (c) => c.includes('Cleo')
      )
    ).toBe(`"${CANDIDATE}"`);
    expect(
      await until(
        'the interviewer label',
        () => label(cpage),
        (c) => c.includes('Ines')
      )
    ).toBe(`"${INTERVIEWER}"`);
  });

  it('shares files and the language: add, rename, delete, switch', async () => {
    const tabs = (page: Page) => page.getByTestId('file-tabs').getByRole('tab').allTextContents();
    await ipage.getByRole('button', { name: 'Add a file' }).click();
    await ipage.keyboard.type('../secrets.py');
    await ipage.keyboard.press('Enter');
    // code-doc's own message, inline.
    await ipage.getByRole('alert').filter({ hasText: 'Use letters, digits' }).waitFor();
    await ipage.keyboard.press('Control+A');
    await ipage.keyboard.type('util.py');
    await ipage.keyboard.press('Enter');
    await until(
      'the new tab on the candidate side',
      () => tabs(cpage),
      (t) => t.some((name) => name.includes('util.py'))
    );

    await cpage.getByRole('tab', { name: 'util.py' }).dblclick();
    await cpage.keyboard.press('Control+A');
    await cpage.keyboard.type('helpers.py');
    await cpage.keyboard.press('Enter');
    await until(
      'the rename on the interviewer side',
      () => tabs(ipage),
      (t) =>
        t.some((name) => name.includes('helpers.py')) && !t.some((name) => name.includes('util'))
    );
    await ipage.getByRole('button', { name: 'Delete helpers.py' }).click();
    await ipage.getByRole('dialog').getByRole('button', { name: 'Delete file' }).click();
    await until(
      'the deletion on the candidate side',
      () => tabs(cpage),
      (t) => t.length === 1
    );

    // The language is the pad's, for everyone; edited code is kept beside the new entry file.
    await cpage.selectOption('#pad-language', 'javascript');
    await until(
      'the language on the interviewer side',
      () => ipage.inputValue('#pad-language'),
      (v) => v === 'javascript'
    );
    expect((await tabs(ipage)).map((t) => t.trim())).toEqual(['main.js', 'main.py']);
    await ipage.selectOption('#pad-language', 'python');
    await until(
      'python again',
      () => cpage.inputValue('#pad-language'),
      (v) => v === 'python'
    );
    await ipage.getByRole('button', { name: 'Delete main.js' }).click();
    await ipage.getByRole('dialog').getByRole('button', { name: 'Delete file' }).click();
    await until(
      'main.py alone',
      () => tabs(cpage),
      (t) => t.length === 1 && t[0]?.includes('main.py') === true
    );
  });

  it("(c) streams the candidate's run onto the interviewer's screen as it happens", async () => {
    // The interviewer can turn running off for the candidate.
    await ipage.getByTestId('candidate-can-run').uncheck();
    await cpage.locator('[data-testid=run]:disabled').waitFor();
    await ipage.getByTestId('candidate-can-run').check();
    await cpage.locator('[data-testid=run]:enabled').waitFor();

    // The candidate pastes a program: also an integrity signal for (d).
    await cpage.click('.monaco-editor .view-lines');
    await cpage.keyboard.press('Control+A');
    await cpage.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.activeElement?.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
      );
    }, PROGRAM);
    await until(
      'the program on the interviewer side',
      () => editorText(ipage),
      (t) => t.includes('time.sleep(0.5)') && !t.includes('Hello')
    );

    await cpage.getByRole('tab', { name: 'Input' }).click();
    await cpage.fill('#stdin', 'Ada\n');
    // Ctrl+Enter from the editor runs the entry file.
    await cpage.click('.monaco-editor .view-lines');
    await cpage.keyboard.press('Control+Enter');
    // The first line arrives while the run is still going (the rest takes another 2.5 s).
    const early = await ipage.waitForFunction(
      () => {
        const out = document.querySelector('[data-testid=stdout]')?.textContent ?? '';
        if (!out.includes('line 1')) return null;
        return { out, status: document.querySelector('[data-testid=run-status]')?.textContent };
      },
      undefined,
      { timeout: 20_000 }
    );
    const seen = (await early.jsonValue()) as { out: string; status: string };
    expect(seen.status?.trim()).toBe('Running…');
    expect(seen.out).not.toContain('line 6');

    await ipage.getByTestId('run-status').filter({ hasText: 'Finished' }).waitFor();
    const output = await ipage.getByTestId('stdout').textContent();
    expect(output).toBe('hello Ada\nline 1\nline 2\nline 3\nline 4\nline 5\nline 6\n');
    expect(await cpage.getByTestId('stdout').textContent()).toBe(output);
  });

  it('(d) never sends the candidate the notes or the integrity markers', async () => {
    await ipage.getByRole('tab', { name: 'Notes' }).click();
    await ipage.fill('#notes-text', NOTES_SECRET);
    await ipage.getByRole('tab', { name: /Signals/ }).click();
    // The paste from (c), as a quiet marker for staff.
    const marker = ipage.locator('[data-testid=integrity] li[data-kind=paste]');
    await marker.first().waitFor();
    expect(await marker.first().textContent()).toMatch(/Pasted \d+ characters.*outside the editor/);

    // A chat exchange, so the candidate's socket provably carries the session's traffic.
    await cpage.fill('#chat-input', 'Starting with a loop that prints as it goes.');
    await cpage.keyboard.press('Enter');
    await ipage.getByRole('tab', { name: /Chat/ }).click();
    await ipage.getByText('Starting with a loop').waitFor();
    await ipage.fill('#chat-input', 'Sounds good, go ahead.');
    await ipage.keyboard.press('Enter');
    await cpage.getByText('Sounds good, go ahead.').waitFor();
    await ipage.getByRole('tab', { name: 'Questions' }).click();
    await ipage.getByRole('button', { name: 'Reveal to candidate' }).click();
    await cpage.getByRole('tab', { name: 'Question' }).click();
    await cpage.locator('[data-testid=questions] details[open]').waitFor();

    expect(candidateFrames.some((f) => f.includes('Sounds good, go ahead.'))).toBe(true);
    expect(candidateFrames.some((f) => f.includes('x7q'))).toBe(false);
    expect(candidateFrames.some((f) => /\["integrity",/.test(f))).toBe(false);
    expect(
      candidateFrames.some(
        (f) => f.startsWith('42["session:state"') && !f.includes('"integrity":[]')
      )
    ).toBe(false);

    await ipage.getByRole('tab', { name: /Signals/ }).click();
    await cpage.getByTestId('theme-toggle').click();
    // A cursor that just moved shows its name (labels step aside after a few idle seconds).
    await cpage.locator('.view-line', { hasText: 'range(1, 7)' }).click();
    await ipage.waitForFunction(() => {
      const head = document.querySelector('.yRemoteSelectionHead');
      return head !== null && getComputedStyle(head, '::after').opacity === '1';
    });
    const interviewerShot = screenshotPath('pad-interviewer');
    if (interviewerShot) await ipage.screenshot({ path: interviewerShot });
    const candidateShot = screenshotPath('pad-candidate');
    if (candidateShot) await cpage.screenshot({ path: candidateShot });
  });

  it('counts edits made offline and merges them on reconnect', async () => {
    await cpage.click('.monaco-editor .view-lines');
    await cpage.keyboard.press('Control+End');
    await candidate.setOffline(true);
    await cpage.locator('[data-testid=connection][data-status=offline]').waitFor();
    await cpage.keyboard.type('# offline 1\n');
    await cpage
      .getByTestId('connection')
      .filter({ hasText: /Offline — \d+ unsynced changes/ })
      .waitFor();
    await ipage.click('.monaco-editor .view-lines');
    await ipage.keyboard.press('Control+Home');
    await ipage.keyboard.type('# while they were away\n');
    await candidate.setOffline(false);
    await cpage
      .locator('[data-testid=connection][data-status=connected]')
      .waitFor({ timeout: 20_000 });
    const [a, b] = await until(
      'the offline edits to merge',
      () => Promise.all([editorText(ipage), editorText(cpage)]),
      ([x, y]) => x === y && x.includes('# offline 1') && x.includes('# while they were away')
    );
    expect(a).toBe(b);
  });

  it("(e) ending the session makes the candidate's editor read-only", async () => {
    const before = await editorText(ipage);
    await ipage.getByRole('button', { name: 'End session' }).click();
    await ipage.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
    await cpage.getByTestId('ended-banner').waitFor();
    expect(await cpage.getByTestId('run').isDisabled()).toBe(true);

    await cpage.click('.monaco-editor .view-lines');
    await cpage.keyboard.type('x');
    // Monaco answers a keystroke in a read-only editor with its message.
    await cpage
      .getByTestId('code-editor')
      .getByText('The session has ended: the pad is read-only.')
      .waitFor();
    expect(await editorText(cpage)).toBe(before);
    expect(await editorText(ipage)).toBe(before);

    // The notes were kept on the server: a fresh page load shows them.
    await ipage.reload();
    await ipage.getByRole('tab', { name: 'Notes' }).click();
    await until(
      'the notes after a reload',
      () => ipage.inputValue('#notes-text'),
      (v) => v === NOTES_SECRET
    );
    expect(candidateFrames.some((f) => f.includes('x7q'))).toBe(false);
  });
});
