/**
 * The README's examples run as written: every shell block parses, every `npm run` names a script
 * of package.json, and the commands that need no server (tokens) run and answer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts);

/** The README's shell blocks, continuation lines joined, comments and blank lines left out. */
const blocks = [...readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1]);
const commands = blocks.flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n'))
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line && !line.startsWith('#'));
/** `npm run …` in the README's inline code too (the commands table). */
const inline = [...readme.matchAll(/`(npm run [^`]+)`/g)].map((m) => m[1]);

/** A placeholder such as `<tenant id>` or `<host>` replaced with a value of its kind. */
const filled = (command: string) =>
  command.replace(/<[a-z][^<>\n]*>/g, (p) => (/\bid>$/.test(p) ? '6f1d2c3b-4a59-4e7d-8c1b-2a3f4e5d6c7b' : 'example'));

test('the README has shell examples', () => {
  expect(blocks.length).toBeGreaterThan(2);
  expect(commands.length).toBeGreaterThan(5);
});

test.each(blocks.map((b, i) => [i, b]))('shell block %i parses', (_i, block) => {
  const result = spawnSync('bash', ['-n'], { input: filled(block as string), encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

test('every npm run of the README names a script of package.json', () => {
  const named = [...commands, ...inline].flatMap((c) => [...c.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((m) => m[1]));
  expect(named.length).toBeGreaterThan(5);
  expect([...new Set(named)].filter((s) => !scripts.includes(s))).toEqual([]);
});

const tokenLines = commands.map((c) => /npm run -s token -- (.*?)(?:\)|$)/.exec(c)?.[1]).filter((args): args is string => !!args);

test.each(tokenLines.map((args) => [args]))('npm run -s token -- %s prints a signed token', (args) => {
  const out = execFileSync('sh', ['-c', `npm run -s token -- ${filled(args)}`], {
    cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'development' }, timeout: 60_000,
  }).trim();
  expect(out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
});
