/**
 * What one request has read of personal data, collected as fields are allowed: field paths
 * (`Tenant.email`) and the tenants they belong to. Never values.
 */
export class AuditTrail {
  readonly fields = new Set<string>();
  readonly tenantIds = new Set<string>();

  /** `path` is `Type.field`. */
  record(path: string, subject: string | undefined): void {
    this.fields.add(path);
    if (subject) this.tenantIds.add(subject);
  }

  get isEmpty(): boolean {
    return this.fields.size === 0;
  }
}
