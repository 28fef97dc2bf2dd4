// Timing helpers of `npm run bench`: alternating single calls, the median rate of repeated batches.

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

export const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50)

/** A full collection between phases (node --expose-gc), so one phase's garbage does not slow the next. */
export function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

/**
 * Microseconds per call of each of `runs` on every input, after a warm-up; the calls alternate
 * input by input, so every operation sees the same state of the machine (garbage collection,
 * other load) and their ratio is fair.
 */
export function timeEach<T>(inputs: T[], runs: ((input: T) => unknown)[]): number[][] {
  for (const input of inputs.slice(0, Math.min(50, inputs.length))) for (const run of runs) run(input)
  const samples = runs.map(() => [] as number[])
  for (const input of inputs)
    runs.forEach((run, k) => {
      const start = process.hrtime.bigint()
      run(input)
      samples[k].push(Number(process.hrtime.bigint() - start) / 1000)
    })
  return samples
}

/** Items per second of `call` over `count` items: the median of `runs` calls after one warm-up (one call varies by ±20 % on a shared machine). */
export async function medianRate(count: number, call: () => Promise<unknown>, runs = 5): Promise<number> {
  await call()
  collectGarbage()
  const rates: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint()
    await call()
    rates.push(count / (Number(process.hrtime.bigint() - started) / 1e9))
  }
  return median(rates)
}
