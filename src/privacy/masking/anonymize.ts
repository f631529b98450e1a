import type { Masking } from '../policy/policy-types';

/**
 * A value masked by its declared strategy; `keep` returns it untouched. No strategy derives anything
 * from the value it replaces: a stable derivation (a keyed hash) would be a pseudonym, not anonymous
 * data (GDPR recital 26).
 */
export function maskValue(masking: Masking, value: unknown): unknown {
  switch (masking.strategy) {
    case 'null':
      return null;
    case 'fixed':
      return masking.value;
    case 'keep':
      return value;
    case 'endNow':
      return value ?? new Date();
  }
}
