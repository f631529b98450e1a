/**
 * Each personal field path (`Tenant.email`) gets a slot once, when its rule is made, so that
 * recording a read, which happens for every personal field of every row, is an array store.
 */
const slots = new Map<string, number>();
const paths: string[] = [];

export function auditSlot(path: string): number {
  let slot = slots.get(path);
  if (slot === undefined) {
    slot = paths.push(path) - 1;
    slots.set(path, slot);
  }
  return slot;
}

/** How an event names a personal field that was written (`Disclosure.withheldReason (written)`), not read. */
export function writtenPath(path: string): string {
  return `${path} (written)`;
}

/**
 * What one request has read of personal data, collected as fields are allowed: field paths and
 * the tenants they belong to. Never values.
 */
export class AuditTrail {
  readonly tenantIds = new Set<string>();
  /** By slot: 1 once the field was read. A plain array, so a slot made later still fits. */
  private readonly read: number[] = [];
  private count = 0;
  /**
   * Set by a transport that holds the response until `stored` settles (the HTTP route): the audit
   * plugin then hands the event in without waiting, and the response is serialised while the
   * event's INSERT is in flight. Otherwise the plugin waits itself (fail closed either way).
   */
  holdResponse = false;
  /** The request's event on its way to the store, when the transport holds the response; rejects if it fails. */
  stored: Promise<void> | undefined;
  /** The fields of one row are resolved one after another: its subject is added once. */
  private lastSubject: string | readonly string[] | undefined;

  /** `slot` is the field's `auditSlot`; `subject` the row's tenant, or tenants. */
  record(slot: number, subject: string | readonly string[] | undefined): void {
    if (this.read[slot] !== 1) {
      this.read[slot] = 1;
      this.count++;
    }
    if (subject && subject !== this.lastSubject) {
      this.lastSubject = subject;
      if (typeof subject === 'string') this.tenantIds.add(subject);
      else for (const id of subject) this.tenantIds.add(id);
    }
  }

  /** The paths of the fields read. */
  get fields(): string[] {
    return paths.filter((_, slot) => this.read[slot] === 1);
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }
}
