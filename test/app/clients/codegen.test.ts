/**
 * The GraphQL Code Generator configuration of docs/clients.md (codegen.ts) turns every client
 * document into TypeScript against schema.graphql: every scalar is mapped (`strictScalars`) and the
 * output typechecks under `strict`. Run as `npm run codegen` runs it, in a child process (the
 * plugins load ESM-only packages, which Node requires natively and jest's module system does not).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import config from '../../../codegen';
import { clientOperationNames, CLIENTS_COPY_DIR } from '../../support/clients';

const root = resolve(__dirname, '../../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mijande-codegen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codegen = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'scripts/codegen.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 50_000 });

test('codegen.ts reads schema.graphql and the client documents', () => {
  expect(config.schema).toBe('schema.graphql');
  expect(config.documents).toBe('clients/*.graphql');
});

test('every client operation gets its result and variables types, and they typecheck', async () => {
  const file = join(dir, 'graphql.ts');
  await codegen('--out', file);
  const output = readFileSync(file, 'utf8');
  for (const { name, type } of clientOperationNames(undefined, CLIENTS_COPY_DIR)) {
    const suffix = type === 'mutation' ? 'Mutation' : 'Query';
    expect(output).toContain(`export type ${name}${suffix} = `);
    expect(output).toContain(`export type ${name}${suffix}Variables = `);
  }
  // The scalars as codegen.ts maps them: LocalDate and DateTimeISO strings, JSONObject a record.
  expect(output).toMatch(/dateOfBirth: string \| null/);
  expect(output).toMatch(/receivedAt: string \| null/);
  expect(output).toMatch(/myDataExport: Record<string, unknown>/);
  const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022 });
  expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
});

test('a scalar the configuration does not map fails codegen (strictScalars)', async () => {
  const schema = join(dir, 'schema.graphql');
  writeFileSync(schema, readFileSync(resolve(root, 'schema.graphql'), 'utf8') + '\nscalar Unmapped\nextend type Query { unmapped: Unmapped }\n');
  await expect(codegen('--schema', schema, '--out', join(dir, 'unused.ts'))).rejects.toMatchObject({ stderr: expect.stringMatching(/Unmapped/) });
});
