import { createHmac } from 'node:crypto';
import type { Masking } from '../policy/policy-types';

const DEVELOPMENT_KEY = 'mijande-development-anonymize-key';
export const PSEUDONYM_PREFIX = 'anon-';

/** The HMAC key of pseudonyms: env ANONYMIZE_KEY; outside production a development key. */
export function anonymizeKey(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.ANONYMIZE_KEY;
  if (key) return key;
  if (env.NODE_ENV === 'production') throw new Error('ANONYMIZE_KEY must be set in production');
  return DEVELOPMENT_KEY;
}

/** A value masked by its declared strategy; `keep` returns it untouched. */
export function maskValue(masking: Masking, value: unknown, key: string): unknown {
  switch (masking.strategy) {
    case 'null':
      return null;
    case 'fixed':
      return masking.value;
    case 'hash':
      return value === null || value === undefined
        ? null
        : PSEUDONYM_PREFIX + createHmac('sha256', key).update(String(value)).digest('hex');
    case 'keep':
      return value;
  }
}
