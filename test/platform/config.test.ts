/** Start-up settings: each validated, every problem named at once, production's defaults. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/platform/config';

const production = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-test-secret-of-32-bytes-at-least',
  JWT_ALLOW_SHARED_SECRET: 'true',
  AUDIT_KEY: 'a-test-audit-key-of-at-least-32-bytes-long',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('SEED', () => {
  test('defaults to false in production and true elsewhere', () => {
    expect(loadConfig(production).seed).toBe(false);
    expect(loadConfig({}).seed).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).seed).toBe(true);
  });

  test('true and false say so, in production too', () => {
    expect(loadConfig({ ...production, SEED: 'true' }).seed).toBe(true);
    expect(loadConfig({ SEED: 'false' }).seed).toBe(false);
  });

  test.each(['no', 'yes', '0', 'FALSE'])('SEED=%s is refused, not read as true', (value) => {
    expect(problemsOf({ SEED: value })).toEqual(['SEED must be true or false']);
  });
});

test('LOG_LEVEL is one of pino\'s levels', () => {
  expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  expect(loadConfig({}).logLevel).toBe('info');
  expect(problemsOf({ LOG_LEVEL: 'verbose' })).toEqual(['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent']);
});

test.each([
  ['PORT', 'http', 'PORT must be a port number (0 to 65535)'],
  ['PORT', '70000', 'PORT must be a port number (0 to 65535)'],
  ['METRICS_PORT', '-1', 'METRICS_PORT must be a port number (0 to 65535)'],
  ['RATE_LIMIT_PER_MINUTE', '1.5', 'RATE_LIMIT_PER_MINUTE must be a positive integer'],
  ['DATABASE_URL', 'mysql://db/x', 'DATABASE_URL must be a URL such as postgres://user@host:5432/db'],
  ['REDIS_URL', '127.0.0.1:6379', 'REDIS_URL must be a URL such as redis://127.0.0.1:6379'],
  ['JWT_MAX_LIFETIME', 'forever', 'JWT_MAX_LIFETIME must be a duration such as 900, 15m or 12h'],
  ['TRUST_PROXY', '10.0.0.0/33', expect.stringMatching(/^TRUST_PROXY must be a hop count/)],
  ['TRUST_PROXY', 'true', expect.stringMatching(/^TRUST_PROXY must be a hop count/)],
])('%s=%s is one clear problem', (name, value, message) => {
  expect(problemsOf({ [name]: value })).toEqual([message]);
});

test('every bad value is named at once, each once, without a secret', () => {
  const problems = problemsOf({ ...production, JWT_SECRET: 'short-secret', JWT_ALLOW_SHARED_SECRET: 'yes', SEED: 'no', LOG_LEVEL: 'verbose', PORT: 'x', AUDIT_KEY: '' });
  expect(problems).toEqual(expect.arrayContaining([
    'SEED must be true or false',
    'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    'PORT must be a port number (0 to 65535)',
    'JWT_ALLOW_SHARED_SECRET must be true or false',
    'AUDIT_KEY must be set to at least 32 bytes in production',
  ]));
  expect(new Set(problems).size).toBe(problems.length);
  expect(problems.join('\n')).not.toContain('short-secret');
});

test('an empty value counts as unset', () => {
  const config = loadConfig({ PORT: '', SEED: '', LOG_LEVEL: '', METRICS_PORT: '', TRUST_PROXY: '' });
  expect(config).toMatchObject({ port: 4000, seed: true, logLevel: 'info', metricsPort: undefined, trustProxy: undefined });
});

test('the new settings are read', () => {
  const config = loadConfig({ METRICS_PORT: '9464', TRUST_PROXY: '2' });
  expect(config.metricsPort).toBe(9464);
  expect([0, 1, 2].map((hop) => config.trustProxy!('10.0.0.1', hop))).toEqual([true, true, false]);
  const list = loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7' }).trustProxy!;
  expect([list('10.1.2.3', 0), list('192.168.1.7', 0), list('192.168.1.8', 0)]).toEqual([true, true, false]);
});

test('the server refuses to start on bad settings: one line per problem, no stack, exit code 1', async () => {
  const main = JSON.stringify(resolve(__dirname, '../../src/app/main.ts'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, SWC_NODE_PROJECT: resolve(__dirname, '../support/tsconfig.child.json'), SEED: 'no', LOG_LEVEL: 'verbose', PORT: '0', DATA_DIR: '/nonexistent' };
  const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', `require(${main})`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const [code] = await once(child, 'exit');
  expect(code).toBe(1);
  const lines = out.trim().split('\n');
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]);
  expect(line).toMatchObject({ level: 'fatal', problems: ['SEED must be true or false', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'] });
  expect(out).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect(line.stack).toBeUndefined();
}, 30_000);
