import { randomInt } from 'node:crypto';

export type LookAlikeKind = 'date' | 'timestamp' | 'amount';

const DAY_MS = 86_400_000;

/**
 * A value its declaration keeps (a fiscal record's dates and amounts, when a consent was given)
 * still must not survive into a copy. Dates move by one shift per person, 1 to 30 days either way,
 * so one person's dates keep their order (a lease ends after it starts, a consent is withdrawn
 * after it was given); amounts are drawn anew within 15% of the value, never equal to it. A kept
 * state (a status, a flag) identifies nobody and stays.
 */
export class LookAlikes {
  private readonly shifts = new Map<string, number>();

  /** Which look-alike a column of this SQL type gets, if any. */
  static kindOf(sqlType: string): LookAlikeKind | undefined {
    if (sqlType === 'date') return 'date';
    if (sqlType.startsWith('timestamp')) return 'timestamp';
    if (sqlType.startsWith('numeric')) return 'amount';
    return undefined;
  }

  /** `person`: whom the row is about (the same shift for all their dates). */
  of(kind: LookAlikeKind, value: unknown, person: string): unknown {
    if (value === null || value === undefined) return value;
    if (kind === 'amount') return this.amount(Number(value));
    const at = new Date(String(value));
    if (Number.isNaN(at.getTime())) return value;
    const moved = new Date(at.getTime() + this.shift(person) * DAY_MS);
    return kind === 'date' ? moved.toISOString().slice(0, 10) : moved.toISOString();
  }

  private shift(person: string): number {
    let days = this.shifts.get(person);
    if (days === undefined) {
      days = randomInt(1, 31) * (randomInt(2) ? 1 : -1);
      this.shifts.set(person, days);
    }
    return days;
  }

  private amount(value: number): number {
    if (!Number.isFinite(value)) return value;
    if (value === 0) return randomInt(1, 10_000) / 100;
    for (;;) {
      const drawn = Math.round(value * (0.85 + randomInt(0, 30_001) / 100_000) * 100) / 100;
      if (drawn !== value && drawn > 0) return drawn;
    }
  }
}
