/**
 * Video in the live pad, end to end (issue 6), with Chromium's fake camera
 * and microphone on loopback: the interviewer and the candidate each receive
 * the other's video and audio; a camera turned off stops the frames on the
 * other side; a reload recovers the call; malformed signals are refused
 * while the call goes on; a hiring manager watches unseen. With LiveKit
 * configured (and no LiveKit server reachable) the client picks LiveKit and
 * says it could not connect, and the pad keeps working.
 *
 * The pages' RTCPeerConnections are collected by an init script, so the
 * tests read `getStats()` without any test hook in the app. VIDEO_DEBUG=1
 * prints the call's warnings and every connection's state changes.
 */
import { createServer } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_SOCKET_PATH, type Ack, type RtcPeer } from '../../realtime/events/contracts';
import { startApp, type TestApp } from '../helpers/app';
import { createInterview, type CreatedInterview } from '../helpers/interviews';
import { seed, type SeededActor } from '../helpers/seed';
import { launchBrowser, screenshotPath } from './browser';

const VIEWPORT = { width: 1440, height: 900 };
const INTERVIEWER = 'Ines Interviewer';
const CANDIDATE = 'Cleo Candidate';
const MANAGER = 'Hugo Hiring';

type Inbound = { bytes: number; frames: number; tracks: number };
type PeerWindow = Window & { __pcs?: RTCPeerConnection[] };

/** Collects every RTCPeerConnection the page creates (runs before the app's scripts). */
function collectPeerConnections(): void {
  const target = window as PeerWindow;
  const Native = window.RTCPeerConnection;
  const all: RTCPeerConnection[] = [];
  target.__pcs = all;
  const debug = (window as PeerWindow & { __pcDebug?: boolean }).__pcDebug === true;
  window.RTCPeerConnection = class extends Native {
    constructor(config?: RTCConfiguration) {
      super(config);
      all.push(this);
      if (!debug) return;
      const n = all.length;
      const say = (what: string) => console.log(`[pc ${n}] ${what}`);
      this.addEventListener('icecandidate', (e) =>
        say(`local candidate ${e.candidate ? 'x' : 'end'}`)
      );
      this.addEventListener('signalingstatechange', () => say(`signaling ${this.signalingState}`));
      this.addEventListener('iceconnectionstatechange', () =>
        say(`ice ${this.iceConnectionState}`)
      );
      this.addEventListener('icegatheringstatechange', () =>
        say(`gathering ${this.iceGatheringState}`)
      );
    }
  };
}

/** Sums inbound-rtp of one kind over the page's connected peer connections. */
function inbound(page: Page, kind: 'audio' | 'video'): Promise<Inbound> {
  return page.evaluate(async (kind) => {
    const pcs = ((window as PeerWindow).__pcs ?? []).filter(
      (pc) => pc.connectionState === 'connected'
    );
    const total = { bytes: 0, frames: 0, tracks: 0 };
    for (const pc of pcs) {
      const report = await pc.getStats();
      report.forEach((stat: { type: string; kind?: string } & Record<string, unknown>) => {
        if (stat.type !== 'inbound-rtp' || stat.kind !== kind) return;
        total.tracks += 1;
        total.bytes += Number(stat['bytesReceived'] ?? 0);
        total.frames += Number(stat['framesDecoded'] ?? 0);
      });
    }
    return total;
  }, kind);
}

/** Polls until `check` passes; tests wait for conditions, never for time. */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  check: (value: T) => boolean,
  { timeoutMs = 20_000, everyMs = 100 } = {}
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await read();
  }
  return value;
}

/** Two readings of a counter some time apart: did it move? */
async function rising(
  what: string,
  read: () => Promise<number>,
  timeoutMs = 15_000
): Promise<number> {
  const start = await read();
  return until(what, read, (now) => now > start, { timeoutMs, everyMs: 250 });
}

/** What the page's call looks like, for a failure message. */
function describeCall(page: Page): Promise<unknown> {
  return page.evaluate(() => ({
    dock: document.querySelector('[data-testid=video-dock]')?.getAttribute('data-status'),
    videos: [...document.querySelectorAll<HTMLVideoElement>('video')].map((v) => ({
      testid: v.dataset['testid'],
      paused: v.paused,
      muted: v.muted,
      readyState: v.readyState,
      width: v.videoWidth,
      tracks: v.srcObject instanceof MediaStream ? v.srcObject.getTracks().map((t) => t.kind) : []
    })),
    pcs: ((window as PeerWindow).__pcs ?? []).map((pc) => ({
      connection: pc.connectionState,
      signaling: pc.signalingState,
      ice: pc.iceConnectionState
    }))
  }));
}

/** A remote <video> that plays, has a size on screen and a decoded picture. */
async function remoteVideoPlaying(page: Page, count = 1): Promise<void> {
  try {
    await waitForRemoteVideo(page, count);
  } catch (error) {
    throw new Error(
      `no playing remote video on ${page.url()}: ${JSON.stringify(await describeCall(page))}`,
      { cause: error }
    );
  }
}

function waitForRemoteVideo(page: Page, count: number): Promise<unknown> {
  return page.waitForFunction(
    (count) =>
      [...document.querySelectorAll<HTMLVideoElement>('video[data-testid=remote-video]')].filter(
        (v) => {
          const box = v.getBoundingClientRect();
          return (
            !v.paused && v.readyState >= 2 && v.videoWidth > 0 && box.width > 0 && box.height > 0
          );
        }
      ).length >= count,
    count,
    { timeout: 30_000, polling: 100 }
  );
}

/** Console warnings of the call (`[tandem video] ...`). */
function recordCallWarnings(page: Page, into: string[]): void {
  page.on('console', (message) => {
    if (process.env.VIDEO_DEBUG)
      process.stdout.write(`[${page.url().slice(-12)}] ${message.text()}\n`);
    if (message.text().startsWith('[tandem video]')) into.push(message.text());
    if (process.env.VIDEO_DEBUG && message.text().startsWith('[pc '))
      process.stdout.write(`[${page.url().slice(-12)}] ${message.text()}\n`);
  });
}

async function signIn(
  context: BrowserContext,
  email: string,
  password: string,
  base = app.url
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
  // Filled before hydration, the fields are emptied by it and the form does not submit:
  // fill again while the page is still the login page.
  for (let attempt = 1; ; attempt++) {
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('button:has-text("Sign in")');
    try {
      await page.waitForURL(/\/interviews/, { timeout: 20_000 });
      return page;
    } catch (error) {
      if (attempt === 3) {
        const text =
          (await page
            .locator('main')
            .textContent()
            .catch(() => '')) ?? '';
        throw new Error(`sign-in stayed on ${page.url()}: ${text.slice(0, 300)}`, { cause: error });
      }
    }
  }
}

let app: TestApp;
let browser: Browser;
let interviewer: SeededActor;
let manager: SeededActor;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser({ fakeMedia: true });
  const databaseUrl = app.databaseUrl;
  if (!databaseUrl) throw new Error('the video tests need the app on a test database');
  [interviewer, manager] = await seed(databaseUrl, async (s) => {
    const org = await s.org('Video end to end');
    return Promise.all([
      s.actor({
        organizationId: org.id,
        email: 'ines@video-e2e.test',
        role: 'interviewer',
        name: INTERVIEWER
      }),
      s.actor({
        organizationId: org.id,
        email: 'hugo@video-e2e.test',
        role: 'hiring_manager',
        name: MANAGER
      })
    ]);
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('peer-to-peer video in the pad', () => {
  let created: CreatedInterview;
  let staff: BrowserContext;
  let candidate: BrowserContext;
  let ipage: Page;
  let cpage: Page;
  const interviewerWarnings: string[] = [];

  afterAll(async () => {
    await staff?.close();
    await candidate?.close();
  });

  it("lets the interviewer and the candidate join and receive each other's video and audio", async () => {
    created = await createInterview(app.api(interviewer.token), {
      title: 'Video pairing',
      candidate: { name: CANDIDATE, email: 'cleo@video-e2e.test' }
    });

    staff = await browser.newContext({ viewport: VIEWPORT });
    if (process.env.VIDEO_DEBUG) await staff.addInitScript('window.__pcDebug = true');
    await staff.addInitScript(collectPeerConnections);
    ipage = await signIn(staff, 'ines@video-e2e.test', interviewer.password);
    recordCallWarnings(ipage, interviewerWarnings);
    await ipage.goto(`${app.url}/interviews/${created.interview.id}/pad`);
    const idock = ipage.getByTestId('video-dock');
    await idock.waitFor();
    // Staff join with a click; nothing is asked of the browser before.
    expect(await idock.getAttribute('data-status')).toBe('idle');
    await ipage.getByTestId('join-call').click();
    await ipage.locator('[data-testid=video-dock][data-mode=p2p][data-status=connected]').waitFor();
    await ipage.getByText('Waiting for the others to join…').waitFor();

    candidate = await browser.newContext({ viewport: VIEWPORT });
    if (process.env.VIDEO_DEBUG) await candidate.addInitScript('window.__pcDebug = true');
    await candidate.addInitScript(collectPeerConnections);
    cpage = await candidate.newPage();
    recordCallWarnings(cpage, []);
    await cpage.goto(created.candidateLink);
    await cpage.check('input[name=agree]');
    await cpage.click('button:has-text("I agree")');

    // The device check before joining: a preview, the meter, a plain verdict.
    await cpage.getByTestId('device-check-start').click();
    await cpage
      .locator('[data-testid=device-check-verdict][data-ok=true]')
      .filter({ hasText: 'Your camera and microphone work.' })
      .waitFor({ timeout: 20_000 });
    const preview = await cpage.getByTestId('device-preview').evaluate((v: HTMLVideoElement) => ({
      width: v.videoWidth,
      playing: !v.paused
    }));
    expect(preview.width).toBeGreaterThan(0);
    expect(preview.playing).toBe(true);
    const checkShot = screenshotPath('candidate-device-check');
    if (checkShot) await cpage.screenshot({ path: checkShot, fullPage: true });

    // The candidate joins the pad and, having checked their devices, the call.
    await cpage.getByTestId('join-pad').click();
    await cpage.locator('[data-testid=video-dock][data-status=connected]').waitFor();

    for (const page of [ipage, cpage]) await remoteVideoPlaying(page);
    expect(await ipage.locator('[data-testid=remote-tile]').getAttribute('data-peer')).toBeTruthy();
    expect(await ipage.getByTestId('remote-tile').textContent()).toContain(CANDIDATE);
    expect(await cpage.getByTestId('remote-tile').textContent()).toContain(INTERVIEWER);

    for (const page of [ipage, cpage]) {
      const video = await rising(
        'inbound video bytes',
        async () => (await inbound(page, 'video')).bytes
      );
      const audio = await rising(
        'inbound audio bytes',
        async () => (await inbound(page, 'audio')).bytes
      );
      expect(video).toBeGreaterThan(0);
      expect(audio).toBeGreaterThan(0);
    }
  });

  it("turning the candidate's camera off stops the frames on the interviewer's side", async () => {
    const frames = async () => (await inbound(ipage, 'video')).frames;
    await rising('frames before', frames);

    await cpage.getByTestId('camera-toggle').click();
    await cpage.locator('[data-testid=self-tile][data-video=false]').waitFor();
    // The interviewer sees the badge (rtc:media) and the initials instead of a frozen picture.
    await ipage.locator('[data-testid=remote-tile][data-video=false]').waitFor();
    await ipage.getByTestId('remote-tile').getByTestId('camera-off-badge').waitFor();

    // Frames stop: unchanged across two polls 500 ms apart (a disabled track would still send).
    let previous = await frames();
    const stopped = await until(
      'frames to stop',
      async () => {
        const now = await frames();
        const same = now === previous;
        previous = now;
        return same;
      },
      (same) => same,
      { timeoutMs: 10_000, everyMs: 500 }
    );
    expect(stopped).toBe(true);
    const frozen = await frames();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await frames()).toBe(frozen);

    // And the camera comes back.
    await cpage.getByTestId('camera-toggle').click();
    await ipage.locator('[data-testid=remote-tile][data-video=true]').waitFor();
    expect(await rising('frames after the camera is back', frames)).toBeGreaterThan(frozen);
  });

  it('mutes the microphone: the other side sees the badge', async () => {
    await ipage.getByTestId('mic-toggle').click();
    await cpage.locator('[data-testid=remote-tile][data-audio=false]').waitFor();
    await cpage.getByTestId('remote-tile').getByTestId('muted-badge').waitFor();
    await ipage.getByTestId('mic-toggle').click();
    await cpage.locator('[data-testid=remote-tile][data-audio=true]').waitFor();
    expect(await cpage.getByTestId('muted-badge').count()).toBe(0);
  });

  it('refuses malformed signals and signals from outside the call; the call goes on', async () => {
    const connect = (token: string): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = io(app.url, {
          path: SESSION_SOCKET_PATH,
          transports: ['websocket'],
          auth: { token },
          reconnection: false,
          forceNew: true
        });
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const ask = (socket: Socket, event: string, payload: unknown): Promise<Ack<unknown>> =>
      socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<unknown>>;
    const tokenFor = async (path: string): Promise<string> => {
      const response = await app.fetch(path, { method: 'POST' });
      expect(response.status).toBe(201);
      return ((await response.json()) as { token: string }).token;
    };

    // A second tab of the candidate, driven by hand: in the interview, and then in the call.
    const rogue = await connect(await tokenFor(`/c/${created.token}/session/token`));
    // Someone in another interview altogether.
    const other = await createInterview(app.api(interviewer.token));
    const minted = await app
      .api(interviewer.token)
      .post(`/interviews/${other.interview.id}/session/token`);
    expect(minted.status).toBe(201);
    const stranger = await connect((minted.body as { token: string }).token);
    try {
      const outside = await ask(rogue, 'rtc:signal', {
        to: 'someone',
        description: { type: 'offer', sdp: 'v=0\r\n' }
      });
      expect(outside.ok).toBe(false);

      const joined = await ask(rogue, 'rtc:join', { audio: false, video: false });
      if (!joined.ok) throw new Error(JSON.stringify(joined.error));
      const { peers } = joined.data as { you: string; peers: RtcPeer[] };
      const target = peers.find((p) => p.role === 'interviewer');
      if (!target) throw new Error('the interviewer is not in the call');

      // Refused by the server: not a session description, a huge candidate, not even an object.
      for (const payload of [
        { to: target.id, description: { type: 'offer', sdp: '<html>not sdp</html>' } },
        { to: target.id, candidate: { candidate: 'x'.repeat(5000) } },
        { to: target.id },
        'garbage'
      ]) {
        const answer = await ask(rogue, 'rtc:signal', payload);
        expect(answer.ok).toBe(false);
      }
      // A socket of another interview cannot reach this call's peers, even inside its own call.
      expect((await ask(stranger, 'rtc:join', { audio: false, video: false })).ok).toBe(true);
      const crossed = await ask(stranger, 'rtc:signal', {
        to: target.id,
        description: { type: 'offer', sdp: 'v=0\r\n' }
      });
      expect(crossed.ok).toBe(false);

      // Shaped well enough to be relayed, broken inside: the browser refuses and logs them.
      const before = interviewerWarnings.length;
      for (const payload of [
        { to: target.id, description: { type: 'offer', sdp: 'v=0\r\nthis is not an offer\r\n' } },
        { to: target.id, description: { type: 'answer', sdp: 'v=0\r\nnor an answer\r\n' } },
        { to: target.id, candidate: { candidate: 'candidate:0 1 UDP nonsense', sdpMid: '0' } }
      ]) {
        const answer = await ask(rogue, 'rtc:signal', payload);
        expect(answer.ok).toBe(true);
      }
      await until(
        'the interviewer page to log the refusals',
        async () => interviewerWarnings.slice(before),
        (warnings) => warnings.filter((w) => w.includes('refused a signal')).length >= 2
      );
    } finally {
      rogue.disconnect();
      stranger.disconnect();
    }

    // The rogue peer left; the call of the others goes on.
    for (const page of [ipage, cpage]) {
      await remoteVideoPlaying(page);
      await rising('video after the bad signals', async () => (await inbound(page, 'video')).bytes);
    }
    expect(await ipage.getByTestId('remote-tile').count()).toBe(1);
  });

  it('recovers the call when the candidate reloads', async () => {
    const oldPeer = await ipage.getByTestId('remote-tile').getAttribute('data-peer');
    await cpage.reload();
    // Back in the pad and, since they were in the call, in the call again.
    await cpage.locator('[data-testid=video-dock][data-status=connected]').waitFor();
    await ipage
      .locator(`[data-testid=remote-tile]:not([data-peer="${oldPeer}"])`)
      .waitFor({ timeout: 20_000 });
    for (const page of [ipage, cpage]) {
      await remoteVideoPlaying(page).catch(async (error: unknown) => {
        throw new Error(`candidate page: ${JSON.stringify(await describeCall(cpage))}`, {
          cause: error
        });
      });
      await rising('video after the reload', async () => (await inbound(page, 'video')).frames);
    }
    // The old peer is gone: one tile, the new one.
    expect(await ipage.getByTestId('remote-tile').count()).toBe(1);
    expect(await ipage.getByTestId('remote-tile').textContent()).toContain(CANDIDATE);
  });

  it('lets a hiring manager watch and listen without being shown', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      await context.addInitScript(collectPeerConnections);
      const hpage = await signIn(context, 'hugo@video-e2e.test', manager.password);
      await hpage.goto(`${app.url}/interviews/${created.interview.id}/pad`);
      await hpage.getByRole('button', { name: 'Watch the call' }).click();
      await hpage.locator('[data-testid=video-dock][data-status=connected]').waitFor();
      await remoteVideoPlaying(hpage, 2);
      await rising(
        'video to the hiring manager',
        async () => (await inbound(hpage, 'video')).bytes
      );
      // Nothing of theirs is sent or shown: no controls, no tile, a quiet count for the others.
      expect(await hpage.getByTestId('camera-toggle').count()).toBe(0);
      expect(await hpage.getByTestId('self-tile').count()).toBe(0);
      await ipage.locator('[data-testid=video-dock]').getByText('+1 watching').waitFor();
      expect(await ipage.getByTestId('remote-tile').count()).toBe(1);
    } finally {
      await context.close();
    }
    await ipage
      .locator('[data-testid=video-dock]')
      .getByText('+1 watching')
      .waitFor({ state: 'detached' });

    // The pad with the call running, for docs/.
    await remoteVideoPlaying(ipage);
    const shot = screenshotPath('pad-video');
    if (shot) await ipage.screenshot({ path: shot });
  });

  it('leaves the call: the other side is alone again and the camera is released', async () => {
    await cpage.getByTestId('leave-call').click();
    await cpage.locator('[data-testid=video-dock][data-status=idle]').waitFor();
    await ipage.getByText('Waiting for the others to join…').waitFor();
    const live = await cpage.evaluate(
      () =>
        ((window as PeerWindow).__pcs ?? []).filter((pc) => pc.connectionState !== 'closed').length
    );
    expect(live).toBe(0);
  });
});

describe('LiveKit when configured', () => {
  it('chooses LiveKit, says it cannot reach the server, and the pad keeps working', async () => {
    // A port nobody listens on: the configured LiveKit server is down.
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const livekitUrl = `ws://127.0.0.1:${port}`;
    const lkApp = await startApp({
      env: {
        LIVEKIT_URL: livekitUrl,
        LIVEKIT_API_KEY: 'devkey',
        LIVEKIT_API_SECRET: 'a-secret-of-at-least-32-characters-long'
      }
    });
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const databaseUrl = lkApp.databaseUrl;
      if (!databaseUrl) throw new Error('the LiveKit test needs a test database');
      const actor = await seed(databaseUrl, async (s) => {
        const org = await s.org('LiveKit end to end');
        return s.actor({
          organizationId: org.id,
          email: 'ines@livekit-e2e.test',
          role: 'interviewer',
          name: INTERVIEWER
        });
      });
      const { interview } = await createInterview(lkApp.api(actor.token));
      const page = await signIn(context, 'ines@livekit-e2e.test', actor.password, lkApp.url);
      const sockets: string[] = [];
      const sessionFrames: string[] = [];
      page.on('websocket', (socket) => {
        sockets.push(socket.url());
        if (socket.url().includes(SESSION_SOCKET_PATH)) {
          socket.on('framesent', ({ payload }) => sessionFrames.push(String(payload)));
        }
      });
      await page.goto(`${lkApp.url}/interviews/${interview.id}/pad`);
      await page.getByTestId('join-call').click();

      const dock = page.locator('[data-testid=video-dock][data-mode=livekit][data-status=failed]');
      await dock.waitFor({ timeout: 45_000 });
      const error = await page.getByTestId('video-error').textContent();
      expect(error).toContain('Could not connect to the video server');
      expect(error).toContain(`127.0.0.1:${port}`);
      // It tried the configured server, not a mesh.
      expect(sockets.some((url) => url.startsWith(livekitUrl))).toBe(true);
      expect(sessionFrames.some((frame) => frame.includes('rtc:join'))).toBe(false);
      // The rest of the pad is unaffected, and "Try again" is offered.
      await page.locator('[data-testid=connection][data-status=connected]').waitFor();
      await page.locator('[data-testid=code-editor][data-ready=true]').waitFor();
      expect(await page.getByTestId('join-call').textContent()).toContain('Try again');
    } finally {
      await context.close();
      await lkApp.stop();
    }
  });
});
