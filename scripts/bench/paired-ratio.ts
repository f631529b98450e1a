/**
 * How precisely a run measured a ratio. The two variants run in alternating segments, so the k-th
 * segment of each falls in the same round: the per-round ratios are paired samples, and their spread
 * shows the machine's noise, which a single number hides. Gives the mean per-round ratio and its 95%
 * confidence interval (Student's t).
 */
export interface RatioInterval {
  mean: number;
  low: number;
  high: number;
}

const T95_SMALL = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Student's t for a two-sided 95% interval with `df` degrees of freedom: the table to 10, then within 0.2% of it. */
export function t95(df: number): number {
  return df <= T95_SMALL.length ? T95_SMALL[df - 1] : 1.96 + 2.4 / df + 3 / (df * df);
}

/** `a` and `b`: each variant's rps per segment, in round order. Undefined with fewer than two rounds. */
export function pairedRatioInterval(a: readonly number[], b: readonly number[]): RatioInterval | undefined {
  const ratios = a.map((x, i) => x / b[i]).filter((r) => Number.isFinite(r));
  const n = ratios.length;
  if (n < 2) return undefined;
  const mean = ratios.reduce((s, r) => s + r, 0) / n;
  const variance = ratios.reduce((s, r) => s + (r - mean) ** 2, 0) / (n - 1);
  const half = t95(n - 1) * Math.sqrt(variance / n);
  return { mean, low: mean - half, high: mean + half };
}
