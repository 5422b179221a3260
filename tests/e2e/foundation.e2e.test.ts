/**
 * First start to candidate landing, as people do it: the admin signs in with the
 * printed one-time password, chooses their own, creates an interview, and the
 * invite link opens in a second, unauthenticated browser context.
 */
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../helpers/app';
import { launchBrowser, screenshotPath, hydrated } from './browser';

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp({ env: { SEED_DEMO: 'true' } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Waits for the element, then asserts it is shown (playwright-core has no expect of its own). */
async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
  expect(await locator.first().isVisible()).toBe(true);
}

async function textOf(locator: Locator): Promise<string> {
  await locator.first().waitFor({ state: 'visible' });
  return ((await locator.first().textContent()) ?? '').trim();
}

function printedCredentials(stdout: string): { email: string; password: string } {
  const email = /Email:\s+(\S+)/.exec(stdout)?.[1];
  const password = /Password:\s+(\S+)/.exec(stdout)?.[1];
  if (!email || !password) throw new Error(`no credentials printed:\n${stdout}`);
  return { email, password };
}

describe('foundation end to end', () => {
  it('an admin signs in, creates an interview, and the candidate opens the link', async () => {
    const { email, password } = printedCredentials(app.stdout());
    const staff = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    const page = await staff.newPage();

    await page.goto(`${app.url}/interviews`);
    await page.waitForURL(/\/login\?next=/);
    await hydrated(page);
    await page.fill('#email', email);
    await page.fill('#password', 'not-the-password');
    await page.click('button[type=submit], button:has-text("Sign in")');
    expect(await textOf(page.getByRole('alert'))).toContain('do not match');

    await page.fill('#password', password);
    await page.click('button:has-text("Sign in")');
    // A generated password must be replaced before anything else.
    await page.waitForURL(/\/settings\?first=1/);
    await visible(page.getByText('Choose your own password'));
    await page.goto(`${app.url}/interviews`);
    await page.waitForURL(/\/settings/);
    await page.fill('#currentPassword', password);
    await page.fill('#newPassword', 'my-own-long-password');
    await page.fill('#confirm', 'my-own-long-password');
    await page.click('button:has-text("Change password")');
    await visible(page.getByText('Password changed'));

    await page.goto(`${app.url}/interviews`);
    await visible(page.getByRole('heading', { name: 'Interviews' }));
    // The demo content of the first start.
    await visible(page.getByText('Ada Lovelace'));
    const shot = screenshotPath('dashboard');
    if (shot) await page.screenshot({ path: shot });

    await page.getByRole('link', { name: '+ New interview' }).click();
    await page.fill('#title', 'Backend engineer: order service pairing');
    await page.fill('#candidateName', 'Katherine Johnson');
    await page.fill('#candidateEmail', 'Katherine@Example.com');
    await page.click('button:has-text("Create interview")');
    await visible(page.getByText('Interview created.'));
    const link = await page.inputValue('[data-testid=copy-value]');
    expect(link).toMatch(new RegExp(`^${app.url}/c/[A-Za-z0-9_-]{43}$`));

    await page.getByRole('link', { name: 'Open interview' }).click();
    await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/);
    expect(await textOf(page.getByTestId('link-state'))).toBe('Active');
    await visible(page.getByText('katherine@example.com'));

    const candidate = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const cpage = await candidate.newPage();
    await cpage.goto(link);
    await visible(cpage.getByRole('heading', { name: 'Backend engineer: order service pairing' }));
    await visible(cpage.getByRole('heading', { name: 'What is recorded' }));
    const candidateShot = screenshotPath('candidate');
    if (candidateShot) await cpage.screenshot({ path: candidateShot, fullPage: true });
    // The candidate is not signed in as staff: the dashboard sends them to sign in.
    await cpage.goto(`${app.url}/interviews`);
    await cpage.waitForURL(/\/login/);
    await cpage.goto(link);
    await cpage.check('input[name=agree]');
    await cpage.click('button:has-text("I agree")');
    await visible(cpage.getByTestId('consented'));
    await visible(cpage.getByTestId('device-check'));

    await page.reload();
    await visible(page.getByText('Candidate gave consent'));
    const interviewShot = screenshotPath('interview');
    if (interviewShot) await page.screenshot({ path: interviewShot });

    // Revoking the link closes the candidate's door with a clear page.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('button:has-text("Revoke link")');
    await visible(page.getByTestId('link-state').filter({ hasText: 'Revoked' }));
    const gone = await cpage.goto(link);
    expect(gone?.status()).toBe(410);
    expect(await textOf(cpage.getByTestId('error-message'))).toBe(
      'This interview link was revoked.'
    );

    await staff.close();
    await candidate.close();
  });
});
