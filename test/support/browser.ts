/**
 * Headless Chromium for the browser tests: Debian's `chromium` package (or CHROMIUM_PATH), driven
 * by playwright-core, with a new empty profile each time. Without it the browser tests are skipped
 * with a message saying so; with REQUIRE_BROWSER=1 (CI, .ci/run) they fail instead, so CI cannot
 * pass without running them.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Request } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Where the browser tests leave their screenshots (git-ignored). */
export const SCREENSHOT_DIR = resolve(__dirname, '../../test-output/screenshots');

const available = existsSync(CHROMIUM_PATH);
if (!available && process.env.REQUIRE_BROWSER === '1') {
  throw new Error(`REQUIRE_BROWSER=1 but no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`);
}

/** `describe`, or `describe.skip` with the reason in its name (and on stderr) when there is no Chromium. */
export function describeWithBrowser(name: string, body: () => void): void {
  if (available) return describe(name, body);
  const reason = `skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  process.stderr.write(`${name}: ${reason}\n`);
  describe.skip(`${name} (${reason})`, body);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'mijande-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackUrl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/**
 * Limits the context's network to loopback: every other request is aborted, and every request is
 * recorded, so that a test can assert that none but loopback was even attempted.
 */
export async function loopbackOnly(context: BrowserContext): Promise<{ requested: string[]; blocked: string[] }> {
  const requested: string[] = [];
  const blocked: string[] = [];
  context.on('request', (request: Request) => requested.push(request.url()));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopbackUrl(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  return { requested, blocked };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, name);
}
