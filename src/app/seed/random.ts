import { Faker, base, en, nl } from '@faker-js/faker';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** All randomness of the seed comes from one seeded Faker, so a seed gives the same data. */
export class Rng {
  readonly faker: Faker;

  constructor(seed: number) {
    this.faker = new Faker({ locale: [nl, en, base] });
    this.faker.seed(seed);
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return this.faker.number.int({ min, max });
  }

  chance(probability: number): boolean {
    return this.faker.number.float({ min: 0, max: 1 }) < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.faker.number.float({ min: 0, max: total });
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries[entries.length - 1][0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    return this.faker.helpers.shuffle([...items]);
  }

  /** A euro amount with cents in [min, max]. */
  money(min: number, max: number): number {
    return this.int(min * 100, max * 100) / 100;
  }

  /** A moment during the day `dayMs` (UTC midnight), between 08:00 and 18:00. */
  officeHours(dayMs: number): number {
    return dayMs + this.int(8 * 60, 18 * 60) * 60_000;
  }
}

/** UTC midnight of the day containing `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Same calendar day `years` years earlier or later (29 February becomes 1 March). */
export function addYears(ms: number, years: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.getTime();
}

/** UTC midnight of the first day of the month `months` away from the month of `ms`. */
export function monthStart(ms: number, months = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

/** 'YYYY-MM' of the month containing `ms`. */
export function period(ms: number): string {
  return isoDate(ms).slice(0, 7);
}

/** Dutch notation: € 1.234,56 */
export function euro(amount: number): string {
  const [whole, cents] = amount.toFixed(2).split('.');
  return `€ ${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${cents}`;
}

/** Dutch notation: 23-11-2026 */
export function dutchDate(ms: number): string {
  const [y, m, d] = isoDate(ms).split('-');
  return `${d}-${m}-${y}`;
}
