/**
 * CORS as a browser enforces it: headless Chromium loads a page from an origin in CORS_ORIGINS and
 * one from another origin (each another loopback port); the first queries the API with a tenant's
 * token and reads the answer, the second cannot.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { config, startTestApp, TestApp, tokens } from '../../support/app';
import { Browser, describeWithBrowser, launchBrowser, loopbackOnly } from '../../support/browser';
import { findFixtures } from '../../support/fixtures';

/** A page of an app: nothing but a document whose origin is this server's. */
async function appServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>app</title><p>app</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

type Outcome = { status: number; body: any } | { error: string };

describeWithBrowser('CORS in Chromium', () => {
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  let t: TestApp;
  let browser: Browser;
  let tenantId: string;
  let network: { requested: string[]; blocked: string[] };

  beforeAll(async () => {
    allowed = await appServer();
    other = await appServer();
    t = await startTestApp({ config: { ...config, corsOrigins: [allowed.origin] } });
    ({ tenantId } = await findFixtures(t.dataSource));
    browser = await launchBrowser();
    network = await loopbackOnly(browser.context);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    allowed?.server.close();
    other?.server.close();
  });

  /** The page at `origin` asks the API for the tenant's profile, as a tenant app does. */
  async function queryFrom(origin: string): Promise<Outcome> {
    const page = await browser.context.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(async ({ url, token }) => {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: '{ myProfile { id lastName } }' }),
          });
          return { status: res.status, body: await res.json() };
        } catch (error) {
          return { error: String(error) };
        }
      }, { url: t.app.url, token: tokens.tenant(tenantId) });
    } finally {
      await page.close();
    }
  }

  test('a page on an allowed origin queries the API with a token and reads the answer', async () => {
    const outcome = await queryFrom(allowed.origin);
    expect(outcome).toMatchObject({ status: 200, body: { data: { myProfile: { id: tenantId } } } });
    expect((outcome as any).body.data.myProfile.lastName).toEqual(expect.any(String));
  });

  test('a page on another origin cannot: the browser refuses it the answer', async () => {
    const outcome = await queryFrom(other.origin);
    expect(outcome).toEqual({ error: expect.stringMatching(/TypeError: Failed to fetch/) });
  });

  test('nothing but loopback was requested', () => {
    expect(network.blocked).toEqual([]);
    expect(network.requested.length).toBeGreaterThan(0);
  });
});
