/**
 * The development IDE in headless Chromium with the network limited to loopback: GraphiQL loads
 * from this server alone, the token picker lists the seeded ids, a query runs as a tenant, and a
 * screenshot is saved under test-output/screenshots (git-ignored).
 */
import { startTestApp, TestApp } from '../../support/app';
import { Browser, describeWithBrowser, isLoopbackUrl, launchBrowser, loopbackOnly, screenshotPath } from '../../support/browser';

describeWithBrowser('GraphiQL in Chromium, offline', () => {
  let t: TestApp;
  let browser: Browser;
  let network: { requested: string[]; blocked: string[] };
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
    network = await loopbackOnly(browser.context);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  test('it loads, lists the seeded ids, runs a query as a tenant, and leaves a screenshot', async () => {
    const page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.goto(t.app.url);

    // The headers editor holds the preset staff token and purpose.
    await page.locator('.graphiql-container').waitFor();
    await page.getByText('Pick a role and press Use.').waitFor();

    const optionValues = (selector: string) => page.locator(`${selector} option`).evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    // Organisations per role, from the seeded data; staff pick a purpose instead.
    const orgs: { id: string; kind: string }[] = await t.dataSource.query('SELECT id, kind FROM organization');
    for (const role of ['contractor', 'builder', 'bailiff']) {
      await page.locator('#ide-role').selectOption(role);
      expect((await optionValues('#ide-subject')).sort()).toEqual(orgs.filter((o) => o.kind === role.toUpperCase()).map((o) => o.id).sort());
    }
    await page.locator('#ide-role').selectOption('staff');
    expect(await page.locator('#ide-subject').isHidden()).toBe(true);
    expect(await optionValues('#ide-purpose')).toEqual(['REPAIRS', 'CONTRACT', 'LETTING', 'RENT_COLLECTION', 'ARREARS', 'NUISANCE', 'PRIVACY']);

    await page.locator('#ide-role').selectOption('tenant');
    const tenantIds = await optionValues('#ide-subject');
    expect(tenantIds.length).toBeGreaterThanOrEqual(10);
    const tenantId = tenantIds[0];
    await page.locator('#ide-subject').selectOption(tenantId);
    await page.locator('#ide-use').click();
    await page.getByText(`Signed in as tenant ${tenantId}`).waitFor();

    // The query editor now holds the tenant's example, the headers editor the tenant's token.
    await page.locator('.graphiql-query-editor', { hasText: 'myProfile' }).waitFor();
    await page.locator('.graphiql-editor-tool', { hasText: 'Authorization' }).waitFor();

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window', { hasText: tenantId });
    await result.waitFor({ timeout: 20_000 });
    const shown = await result.innerText();
    expect(shown).toContain('"myProfile"');
    expect(shown).toContain('"lastName"');
    expect(shown).not.toContain('FORBIDDEN');

    await page.screenshot({ path: screenshotPath('graphiql-tenant.png'), fullPage: true });
    await page.close();
  });

  test('every request went to this server: no CDN, nothing blocked, no error on the page', () => {
    const origin = new URL(t.app.url).origin;
    expect(network.blocked).toEqual([]);
    expect(network.requested.filter((url) => !isLoopbackUrl(url))).toEqual([]);
    expect(network.requested.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);
    for (const asset of ['graphiql.min.js', 'graphiql.min.css', 'react.production.min.js', 'react-dom.production.min.js', 'ide.js']) {
      expect(network.requested).toContain(`${origin}/graphql/ide/${asset}`);
    }
    expect(consoleErrors).toEqual([]);
  });
});
