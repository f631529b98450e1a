/**
 * `npm install` on the Node.js versions package.json's `engines` names prints no unsupported-engine
 * warning: every package of the lock file (the default install, dev dependencies included) accepts
 * the oldest of them. PostGraphile, the benchmark's peer, which needs Node 22, is installed apart
 * from bench/package.json.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';

const root = resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8'));

test('every package of the default install supports the oldest Node.js the API supports', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version;
  expect(oldest).toBe('20.19.0');
  const refusing = Object.entries<{ engines?: Record<string, string> | string[]; version?: string }>(lock.packages)
    .filter(([path, p]) => path && p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(oldest, p.engines.node))
    .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version} needs node ${(p.engines as Record<string, string>).node}`);
  expect(refusing).toEqual([]);
});

test('the lock file is the one package.json asks for (no PostGraphile in the default install)', () => {
  expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
  expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
  expect(Object.keys(lock.packages).filter((path) => /node_modules\/(postgraphile|grafast|ruru)$/.test(path))).toEqual([]);
});

test('every package with an install script is reviewed in allowScripts (npm 11 warns about the rest, npm 12 skips them)', () => {
  const withScripts = Object.entries<{ hasInstallScript?: boolean; optional?: boolean }>(lock.packages)
    .filter(([path, p]) => path && p.hasInstallScript)
    .map(([path]) => path.replace(/^.*node_modules\//, ''));
  expect(withScripts.length).toBeGreaterThan(0);
  const reviewed = pkg.allowScripts ?? {};
  expect(withScripts.filter((name) => typeof reviewed[name] !== 'boolean')).toEqual([]);
});
