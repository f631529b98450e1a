import { LookAlikes } from '../../../src/domains/anonymized-copy/look-alikes';

test('one person\'s dates move by the same 1–30 days, so their order and distance stay; no date stays', () => {
  for (let i = 0; i < 200; i++) {
    const looks = new LookAlikes();
    const start = looks.of('date', '2020-01-31', 'p') as string;
    const given = looks.of('timestamp', '2020-02-10T08:00:00.000Z', 'p') as string;
    const days = (Date.parse(given) - Date.parse(`${start}T08:00:00.000Z`)) / 86_400_000;
    expect(days).toBe(10);
    const shift = (Date.parse(start) - Date.parse('2020-01-31')) / 86_400_000;
    expect(Math.abs(shift)).toBeGreaterThanOrEqual(1);
    expect(Math.abs(shift)).toBeLessThanOrEqual(30);
    expect(start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
});

test('amounts are drawn within 15% and never equal the source; zero becomes some amount', () => {
  const looks = new LookAlikes();
  for (let i = 0; i < 500; i++) {
    const drawn = looks.of('amount', '812.50', 'p') as number;
    expect(drawn).not.toBe(812.5);
    expect(drawn).toBeGreaterThanOrEqual(812.5 * 0.85 - 0.01);
    expect(drawn).toBeLessThanOrEqual(812.5 * 1.15 + 0.01);
    expect(Math.round(drawn * 100)).toBeCloseTo(drawn * 100, 6);
  }
  expect(looks.of('amount', 0, 'p')).toBeGreaterThan(0);
});

test('the SQL types that get a look-alike, and null stays null', () => {
  expect(['date', 'timestamp with time zone', 'numeric(10,2)', 'text', 'boolean', 'text[]'].map((t) => LookAlikes.kindOf(t)))
    .toEqual(['date', 'timestamp', 'amount', undefined, undefined, undefined]);
  expect(new LookAlikes().of('date', null, 'p')).toBeNull();
});
