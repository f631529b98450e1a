/**
 * Issue 16 item 8: a clone alone, without ../shared beside it, installs, starts and passes its
 * tests. The project keeps its own copy of the client documents (clients/); the comparison with
 * ../shared/clients runs when that is there, and is skipped, not failed, when it is not. The tests
 * that compare run here in a child jest with SHARED_CLIENTS_DIR pointed elsewhere (no database: the
 * global setup is left out, these tests need none).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { CLIENTS_COPY_DIR } from '../../support/clients';

const root = resolve(__dirname, '../../..');
const COMPARING = ['test/app/clients/clients-copy.test.ts', 'test/app/clients/trusted-documents.test.ts'];

interface JestReport {
  success: boolean;
  testResults: { assertionResults: { title: string; status: string }[] }[];
}

/** The comparing tests in a child jest, with `../shared/clients` at `sharedDir`; its JSON report. */
async function runComparing(sharedDir: string): Promise<JestReport> {
  const out = join(scratch, `report-${Date.now()}.json`);
  await promisify(execFile)(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--ci', '--json', `--outputFile=${out}`, '--globalSetup=', '--globalTeardown=', ...COMPARING],
    { cwd: root, env: { ...process.env, SHARED_CLIENTS_DIR: sharedDir }, timeout: 100_000 },
  ).catch((error: { code?: number }) => {
    if (typeof error.code !== 'number') throw error; // a failing test exits 1 and still writes the report
  });
  return JSON.parse(readFileSync(out, 'utf8'));
}
const byStatus = (report: JestReport, status: string) =>
  report.testResults.flatMap((r) => r.assertionResults).filter((a) => a.status === status).map((a) => a.title).sort();

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mijande-without-shared-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('without ../shared the operations come from the repository\'s copy', () => {
  const previous = process.env.SHARED_CLIENTS_DIR;
  process.env.SHARED_CLIENTS_DIR = join(scratch, 'absent');
  try {
    jest.isolateModules(() => {
      const operations = require('../../../scripts/lib/client-operations');
      expect(operations.CLIENTS_DIR).toBe(CLIENTS_COPY_DIR);
      expect(operations.clientOperationNames().length).toBeGreaterThan(10);
    });
  } finally {
    if (previous === undefined) delete process.env.SHARED_CLIENTS_DIR;
    else process.env.SHARED_CLIENTS_DIR = previous;
  }
});

test('without ../shared the comparing tests skip the comparison and pass the rest', async () => {
  const report = await runComparing(join(scratch, 'absent'));
  expect(report.success).toBe(true);
  expect(byStatus(report, 'pending')).toEqual(['../shared/clients gives the same list', 'the copy is identical to ../shared/clients']);
  expect(byStatus(report, 'failed')).toEqual([]);
  expect(byStatus(report, 'passed').length).toBeGreaterThanOrEqual(3);
}, 120_000); // a child jest: a few seconds alone, longer on a machine busy with other suites

test('with a ../shared that differs from the copy, the comparison runs and fails', async () => {
  const shared = join(scratch, 'shared', 'clients');
  cpSync(CLIENTS_COPY_DIR, shared, { recursive: true });
  const file = join(shared, 'tenant-app.graphql');
  writeFileSync(file, readFileSync(file, 'utf8') + '\nquery AddedByTheApps { privacyStatement { version } }\n');
  const report = await runComparing(shared);
  expect(report.success).toBe(false);
  expect(byStatus(report, 'failed')).toEqual(['../shared/clients gives the same list', 'the copy is identical to ../shared/clients']);
}, 120_000);

/** Every TypeScript or JavaScript file of the repository's own code, node_modules and dist left out. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', 'dist', 'data', '.git', 'coverage', 'test-output'].includes(name)) return [];
    if (statSync(path).isDirectory()) return codeFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

test('the only path to ../shared in the code is the guarded one of scripts/lib/client-operations.ts', () => {
  const pathToShared = /^(\.\.\/)+shared(\/[\w./-]*)?$/; // a relative path, whole: no title or message
  const found = codeFiles(root).flatMap((file) => {
    // String literals only, from the syntax tree: a comment that names ../shared is not a path.
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const hits: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node) && pathToShared.test(node.text)) hits.push(`${relative(root, file)}: ${node.text}`);
      ts.forEachChild(node, visit);
    };
    visit(source);
    return hits;
  });
  expect(found).toEqual(['scripts/lib/client-operations.ts: ../../shared/clients']);
  // Nor do the scripts of package.json or CI reach for it.
  expect(readFileSync(join(root, 'package.json'), 'utf8')).not.toMatch(/\.\.\/shared/);
  expect(readFileSync(join(root, '.ci/run'), 'utf8').split('\n').filter((l) => !l.trim().startsWith('#')).join('\n')).not.toMatch(/\.\.\/shared/);
});
