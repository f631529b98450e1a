import { randomUUID } from 'node:crypto';
import type { SeedContext } from './model';
import { DAY, HOUR, dutchDate, isoTime } from './random';
import { AUTHORITIES, DSR_OUTCOMES, FIELD_LABELS, PRIVACY_STATEMENT_TEXT } from './vocabulary';

/**
 * Disclosures to public authorities under a legal obligation, some withheld with a legal reason.
 * The others put a LEGAL_DISCLOSURE notification in the tenant's inbox.
 */
export function seedAuthorityDisclosures(ctx: SeedContext): void {
  const { rng, now, active, data } = ctx;
  if (active.length === 0) return;
  for (let i = 0, n = Math.max(AUTHORITIES.length * 2, Math.round(active.length * 0.01)); i < n; i++) {
    const authority = i < AUTHORITIES.length * 2 ? AUTHORITIES[i % AUTHORITIES.length] : rng.pick(AUTHORITIES);
    const r = rng.pick(active);
    const at = Math.max(r.leaseStartMs + DAY, now - rng.int(1, 365) * DAY) + rng.int(9, 16) * HOUR;
    const disclosedAt = Math.min(now - HOUR, at);
    data.disclosure.push({
      id: randomUUID(), tenant_id: r.tenant.id, recipient_kind: 'AUTHORITY', recipient_org_id: ctx.authorities.get(authority.name)?.id ?? null, recipient_name: authority.name,
      purpose: 'LEGAL_OBLIGATION', fields: authority.fields.join('|'), disclosed_at: isoTime(disclosedAt),
      withheld: authority.withheldReason !== null, withheld_reason: authority.withheldReason,
    });
    if (authority.withheldReason !== null) continue;
    data.notification.push({
      id: randomUUID(), tenant_id: r.tenant.id, kind: 'LEGAL_DISCLOSURE',
      message:
        `Op ${dutchDate(disclosedAt)} hebben wij op grond van een wettelijke verplichting gegevens over u verstrekt aan ` +
        `${authority.name}: ${authority.fields.map((f) => FIELD_LABELS[f] ?? f).join(', ')}.`,
      created_at: isoTime(disclosedAt),
      read_at: rng.chance(0.4) ? isoTime(Math.min(now - 60_000, disclosedAt + rng.int(1, 300) * HOUR)) : null,
    });
  }
}

/** One or two data subject requests per kind and status, received in the last four weeks. */
export function seedDataSubjectRequests(ctx: SeedContext): void {
  const { rng, now, data } = ctx;
  const candidates = [...ctx.active.map((r) => r.tenant), ...ctx.homeSeekers];
  if (candidates.length === 0) return;
  for (const kind of ['ACCESS', 'RECTIFICATION', 'ERASURE', 'RESTRICTION'] as const) {
    for (const status of ['RECEIVED', 'IN_PROGRESS', 'RESOLVED', 'REFUSED'] as const) {
      for (let i = 0, n = rng.int(1, 2); i < n; i++) {
        const ageHours = status === 'RECEIVED' ? rng.int(1, 5 * 24) : rng.int(3 * 24, 27 * 24);
        const received = now - ageHours * HOUR;
        const done = status === 'RESOLVED' || status === 'REFUSED';
        data.data_subject_request.push({
          id: randomUUID(),
          tenant_id: rng.pick(candidates).id,
          kind,
          status,
          received_at: isoTime(received),
          resolved_at: done ? isoTime(received + rng.int(1, ageHours - 1) * HOUR) : null,
          outcome: done ? DSR_OUTCOMES[kind][status] : null,
        });
      }
    }
  }
}

export function seedPrivacyStatement(ctx: SeedContext): void {
  ctx.data.privacy_statement_version.push({
    version: 1,
    published_at: isoTime(ctx.today - 400 * DAY + 10 * HOUR),
    significant: true,
    text: PRIVACY_STATEMENT_TEXT,
  });
}

/**
 * A consent record for each person the tenants' seed chose to consent: given at registration or,
 * when they registered before the statement was published, once it was, under its version.
 */
export function seedConsents(ctx: SeedContext): void {
  const statement = ctx.data.privacy_statement_version[0];
  for (const t of ctx.data.tenant) {
    if (!t.analytics_consent) continue;
    const givenMs = Math.max(Date.parse(t.registered_at), statement ? Date.parse(statement.published_at) : 0) + HOUR;
    ctx.data.consent_record.push({
      id: randomUUID(), tenant_id: t.id, kind: 'ANALYTICS_COOKIES', given_at: isoTime(Math.min(givenMs, ctx.now - 60_000)),
      statement_version: statement?.version ?? null, withdrawn_at: null,
    });
  }
}
