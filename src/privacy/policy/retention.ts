import { compiled } from './compiled';
import type { Retention } from './policy-types';

const ACTION: Record<Retention['action'], string> = { anonymise: 'anonymised', delete: 'deleted', unlink: 'unlinked from the person' };

function periodText(r: Retention): string {
  const amount = 'years' in r.period ? `${r.period.years} year${r.period.years === 1 ? '' : 's'}` : `${r.period.months} months`;
  const clock = r.clock.kind === 'subject' ? "after the person's deregistration (with the person)"
    : r.clock.kind === 'date' ? `after ${r.clock.field}` : `after the end of the fiscal year of ${r.clock.field}`;
  return `${ACTION[r.action]} ${amount} ${clock}`;
}

/** The retention of every table the policy declares one for: what the register prints and the export states. */
export function retentionRules(): { type: string; data: string; period: string; nl: string }[] {
  return compiled.tables.flatMap((t) => {
    const r = t.rule.retention;
    return r ? [{ type: t.name, data: t.name, period: periodText(r), nl: r.nl }] : [];
  });
}
