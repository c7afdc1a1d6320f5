export const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

/** One bench section's figures: each row a rate, with its ratio to the baseline measured in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  ratio: number;
  unit: string;
}
export interface BenchSection {
  rows: BenchRow[];
  extra?: Record<string, unknown>;
}

export function printRows(rows: ReadonlyArray<readonly [string, number, number, string]>): void {
  for (const [name, value, ratio, unit] of rows) {
    console.log(`${name.padEnd(58)} ${fmt(value).padStart(10)} ${unit.padEnd(9)} ${Number.isNaN(ratio) ? '' : `${fmt(ratio, 2)}× baseline`}`);
  }
}

/** Runs `work` on `clients` concurrent loops for `seconds`; returns operations per second. */
export async function rate(clients: number, seconds: number, work: (client: number, i: number) => Promise<number | void>): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; performance.now() < until; i++) {
        // Not `done += await …`: that reads `done` before the await and loses the other loops' counts.
        const count = (await work(client, i)) ?? 1;
        done += count;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
