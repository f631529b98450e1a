import { recipientPurpose } from '../../privacy/policy/processing';
import { randomUUID } from 'node:crypto';
import type { Resident, SeedContext } from './model';
import { DAY, HOUR, isoDate, isoTime } from './random';
import { PROJECT_KINDS } from './vocabulary';
import { disclosedFields } from '../../privacy/policy/disclosed-fields';

/**
 * Renovation projects per builder: one or two running, one or two finished, one upcoming. A project
 * covers one or more complexes, always including dwellings with an ACTIVE tenant; putting such a
 * dwelling in a project discloses its address to the builder.
 */
export function seedProjects(ctx: SeedContext): void {
  const { rng, now, today, data } = ctx;
  if (ctx.complexes.length === 0) return;
  const tenantOf = new Map<string, Resident>();
  for (const r of ctx.active) tenantOf.set(r.dwelling.row.id, r);
  const target = Math.min(250, Math.max(6, Math.round(ctx.dwellings.length / 80)));

  for (const builder of ctx.builders) {
    const phases: ('running' | 'finished' | 'upcoming')[] = ['running', 'finished', 'upcoming'];
    if (rng.chance(0.5)) phases.push('running');
    if (rng.chance(0.5)) phases.push('finished');
    for (const phase of phases) {
      let starts: number;
      let ends: number;
      if (phase === 'running') {
        starts = today - rng.int(14, 300) * DAY;
        ends = today + rng.int(14, 400) * DAY;
      } else if (phase === 'finished') {
        ends = today - rng.int(14, 900) * DAY;
        starts = ends - rng.int(60, 400) * DAY;
      } else {
        starts = today + rng.int(30, 180) * DAY;
        ends = starts + rng.int(60, 365) * DAY;
      }

      const dwellings = new Set<number>();
      const complexes = new Set<number>();
      while (dwellings.size < target && complexes.size < ctx.complexes.length) {
        const c = rng.int(0, ctx.complexes.length - 1);
        if (complexes.has(c)) continue;
        complexes.add(c);
        for (const d of ctx.complexes[c]) dwellings.add(d);
      }
      if (ctx.active.length && ![...dwellings].some((d) => tenantOf.has(ctx.dwellings[d].row.id))) {
        dwellings.add(ctx.dwellings.indexOf(rng.pick(ctx.active).dwelling));
      }
      const first = ctx.dwellings[ctx.complexes[[...complexes][0]][0]].row;
      const id = randomUUID();
      data.renovation_project.push({
        id, builder_id: builder.id, name: `${rng.pick(PROJECT_KINDS)} ${first.street}${complexes.size > 1 ? ' e.o.' : ''}, ${first.city}`,
        starts_on: isoDate(starts), ends_on: isoDate(ends),
      });
      const disclosedAt = Math.min(now - rng.int(1, 72) * HOUR, starts - rng.int(14, 60) * DAY + rng.int(9, 16) * HOUR);
      for (const d of dwellings) {
        const dwelling = ctx.dwellings[d];
        data.renovation_project_dwelling.push({ project_id: id, dwelling_id: dwelling.row.id });
        const resident = tenantOf.get(dwelling.row.id);
        // A resident who moved in after the project's disclosure is disclosed when the lease starts,
        // unless the project had ended by then (the builder never reads their address).
        if (!resident || resident.leaseStartMs > ends) continue;
        data.disclosure.push({
          id: randomUUID(), tenant_id: resident.tenant.id, recipient_kind: 'BUILDER', recipient_org_id: builder.id,
          recipient_name: builder.name, purpose: recipientPurpose('builder'), fields: disclosedFields('builder').join('|'),
          disclosed_at: isoTime(Math.max(disclosedAt, resident.leaseStartMs)), withheld: false, withheld_reason: null,
        });
      }
    }
  }
}
