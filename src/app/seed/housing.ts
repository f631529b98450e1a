import { randomUUID } from 'node:crypto';
import type { Dwelling, OrganizationRow, SeedContext } from './model';
import { DAY, isoTime } from './random';
import { AUTHORITIES, BAILIFFS, BUILDERS, CITIES, CONTRACTORS, POSTAL_LETTERS, STREET_BASES, STREET_SUFFIXES } from './vocabulary';

/** The contractors, builders, bailiff offices and public authorities the corporation works with. */
export function seedOrganizations(ctx: SeedContext): void {
  const { rng, now, data } = ctx;
  const org = (name: string, kind: OrganizationRow['kind']): OrganizationRow => {
    const row = { id: randomUUID(), name, kind, created_at: isoTime(now - rng.int(400, 3000) * DAY - rng.int(0, DAY)) };
    data.organization.push(row);
    return row;
  };
  ctx.contractors = CONTRACTORS.map((c) => ({ row: org(c.name, 'CONTRACTOR'), trade: c.trade }));
  ctx.builders = BUILDERS.map((name) => org(name, 'BUILDER'));
  ctx.bailiffs = BAILIFFS.map((name) => org(name, 'BAILIFF'));
  // Registered on their first legal disclosure; dated without drawing from the generator, so the
  // rest of the seed stays the data it has been.
  ctx.authorities = new Map(AUTHORITIES.map((a) => {
    const row = { id: randomUUID(), name: a.name, kind: 'AUTHORITY' as const, created_at: isoTime(now - 365 * DAY) };
    data.organization.push(row);
    return [a.name, row];
  }));
}

/**
 * At least `count` dwellings, built as complexes: a street in a city with a run of house numbers
 * (family houses, some with a letter addition, or flats numbered 12-1, 12-2, ...) sharing postal codes.
 */
export function seedDwellings(ctx: SeedContext, count: number): void {
  const { rng, data } = ctx;
  const cityWeights = CITIES.map((c) => [c, c.weight] as const);
  const usedStreets = new Set<string>();
  while (ctx.dwellings.length < count) {
    const city = rng.weighted(cityWeights);
    let street = '';
    for (let attempt = 0; attempt < 60 && (!street || usedStreets.has(`${city.name}|${street}`)); attempt++) {
      // Faker's Dutch street names only once the curated ones run out (very large data sets)
      street = attempt < 40 ? rng.pick(STREET_BASES) + rng.pick(STREET_SUFFIXES) : rng.faker.location.street();
      street = street.charAt(0).toUpperCase() + street.slice(1);
    }
    if (usedStreets.has(`${city.name}|${street}`)) street = `${street} ${usedStreets.size}`; // pool exhausted
    usedStreets.add(`${city.name}|${street}`);

    const pc4 = rng.int(city.from, city.to);
    let letters = rng.int(0, POSTAL_LETTERS.length * POSTAL_LETTERS.length - 40);
    const postalCode = (): string => {
      let pair = '';
      do {
        pair = POSTAL_LETTERS[Math.floor(letters / POSTAL_LETTERS.length) % POSTAL_LETTERS.length] + POSTAL_LETTERS[letters % POSTAL_LETTERS.length];
        letters++;
      } while (pair === 'SA' || pair === 'SD' || pair === 'SS');
      return `${pc4} ${pair}`;
    };

    const numbers: string[] = [];
    if (rng.chance(0.3)) {
      // a block of flats: one or two entrances with numbered or lettered additions
      for (let entrance = 0, n = rng.int(1, 2), base = rng.int(1, 120); entrance < n; entrance++, base += 2) {
        const floors = rng.int(6, 24);
        const lettered = rng.chance(0.3);
        for (let i = 1; i <= floors; i++) numbers.push(lettered ? `${base}${String.fromCharCode(64 + Math.min(i, 26))}` : `${base}-${i}`);
      }
    } else {
      const step = rng.chance(0.5) ? 2 : 1;
      for (let i = 0, n = rng.int(6, 30), num = rng.int(1, 40); i < n; i++, num += step) {
        numbers.push(String(num));
        if (rng.chance(0.1)) numbers.push(`${num}A`);
      }
    }

    const complex: number[] = [];
    let code = postalCode();
    numbers.forEach((houseNumber, i) => {
      if (i > 0 && i % 12 === 0) code = postalCode();
      const dwelling: Dwelling = {
        row: { id: randomUUID(), street, house_number: houseNumber, postal_code: code, city: city.name },
        complex: ctx.complexes.length,
        freeBefore: ctx.now,
      };
      complex.push(ctx.dwellings.length);
      ctx.dwellings.push(dwelling);
      data.dwelling.push(dwelling.row);
    });
    ctx.complexes.push(complex);
  }
}
