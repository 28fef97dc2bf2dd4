// Runs fast-check properties inside ava with one fixed seed, so a failure reproduces exactly.
import type { ExecutionContext } from 'ava'
import fc from 'fast-check'

/** FC_SEED replays or explores another seed; the default keeps CI deterministic. */
export const PROPERTY_SEED = process.env.FC_SEED === undefined ? 20240611 : Number(process.env.FC_SEED)

/**
 * Checks a property for a bounded number of runs. A failure throws fast-check's report (the
 * shrunk counterexample, the seed and the path to replay it), which fails the ava test.
 */
export async function checkProperty<Ts>(t: ExecutionContext, property: fc.IAsyncProperty<Ts>, numRuns: number): Promise<void> {
  t.log(`fast-check seed ${PROPERTY_SEED}, ${numRuns} runs (FC_SEED=${PROPERTY_SEED} replays them)`)
  await fc.assert(property, { seed: PROPERTY_SEED, numRuns, includeErrorInReport: true })
  t.pass()
}
