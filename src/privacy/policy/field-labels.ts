import { fieldRule } from './access';

/** The Dutch name the policy declares for a personal field path (`Tenant.email`), or the path itself. */
export function labelOf(path: string): string {
  const [type, field] = path.split('.');
  return fieldRule(type, field)?.personal?.label ?? path;
}

/** The Dutch names of the fields, each once, in the given order. Names the kind of data, never a value. */
export function fieldLabels(paths: readonly string[]): string[] {
  return [...new Set(paths.map(labelOf))];
}
