import { pairedRatioInterval, t95 } from '../../scripts/bench/paired-ratio';

test("t95 is Student's t within 0.2% of the table", () => {
  for (const [df, t] of [[2, 4.303], [5, 2.571], [11, 2.201], [15, 2.131], [19, 2.093], [39, 2.023], [1000, 1.962]]) {
    expect(Math.abs(t95(df) - t) / t).toBeLessThan(0.002);
  }
});

test('the interval is the mean per-round ratio ± t · s / √n', () => {
  // Per-round ratios 0.8, 1.0, 0.9: mean 0.9, s 0.1, n 3, t(2) = 4.303.
  const interval = pairedRatioInterval([80, 100, 90], [100, 100, 100])!;
  expect(interval.mean).toBeCloseTo(0.9, 10);
  const half = t95(2) * 0.1 / Math.sqrt(3);
  expect(interval.low).toBeCloseTo(0.9 - half, 10);
  expect(interval.high).toBeCloseTo(0.9 + half, 10);
});

test('pairs segments by round, not overall totals', () => {
  // Same totals, different pairing: a steady ratio has no spread, a swapped one has.
  expect(pairedRatioInterval([90, 45], [100, 50])).toEqual({ mean: 0.9, low: 0.9, high: 0.9 });
  const swapped = pairedRatioInterval([45, 90], [100, 50])!;
  expect(swapped.high - swapped.low).toBeGreaterThan(1);
});

test('needs two rounds', () => {
  expect(pairedRatioInterval([90], [100])).toBeUndefined();
});
