// Timing helpers of `npm run bench`: alternating single calls, the median rate of repeated batches.

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  )

/** A full collection between phases (node --expose-gc), so one phase's garbage does not slow the next. */
export function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

/**
 * Passes over a set before its single-call figures are taken: a first pass pays for what a
 * long-running process pays once (V8 optimising the facade, the kernel's first allocations, the
 * table rows' first trips from memory) and ran 20-25 % slower than later passes.
 */
export const WARM_UP_PASSES = 2

/**
 * Microseconds per call of each of `runs` on every input, after warmUpCalls calls of each (the
 * inputs in turn, from the first); the calls alternate input by input, so every operation sees the
 * same state of the machine (garbage collection, other load) and their ratio is fair.
 */
export function timeEach<T>(inputs: T[], runs: ((input: T) => unknown)[], warmUpCalls = Math.min(50, inputs.length)): number[][] {
  for (let call = 0; call < warmUpCalls; call++) for (const run of runs) run(inputs[call % inputs.length])
  const samples = runs.map(() => [] as number[])
  for (const input of inputs)
    runs.forEach((run, k) => {
      const start = process.hrtime.bigint()
      run(input)
      samples[k].push(Number(process.hrtime.bigint() - start) / 1000)
    })
  return samples
}

/** One batch figure: items per second, and the process's CPU time (all its threads) per item and per second of wall time. */
export interface BatchRate {
  perSecond: number
  cpuMicrosecondsPerItem: number
  coresBusy: number
}

/**
 * Each of `calls` over `count` items: the medians of `runs` rounds after one warm-up round. The
 * calls alternate round by round, so each sees the same state of the machine and their ratio is
 * fair (one call varies by ±20 % on a shared machine).
 */
export async function medianRates(count: number, calls: (() => Promise<unknown>)[], runs = 7): Promise<BatchRate[]> {
  for (const call of calls) await call()
  collectGarbage()
  const samples = calls.map(() => [] as BatchRate[])
  for (let run = 0; run < runs; run++)
    for (const [k, call] of calls.entries()) {
      const cpu = process.cpuUsage()
      const started = process.hrtime.bigint()
      await call()
      const wallMicroseconds = Number(process.hrtime.bigint() - started) / 1000
      const { user, system } = process.cpuUsage(cpu)
      samples[k].push({ perSecond: count / (wallMicroseconds / 1e6), cpuMicrosecondsPerItem: (user + system) / count, coresBusy: (user + system) / wallMicroseconds })
    }
  return samples.map((rounds) => ({
    perSecond: median(rounds.map((round) => round.perSecond)),
    cpuMicrosecondsPerItem: median(rounds.map((round) => round.cpuMicrosecondsPerItem)),
    coresBusy: median(rounds.map((round) => round.coresBusy)),
  }))
}
