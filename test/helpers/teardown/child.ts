// The child process of test/teardown.test.ts: ends worker threads (terminate(), process.exit()) or
// itself (process.exit()) while kernel calls run, at many moments. It prints a line per step done;
// the test checks the exit code, that no signal killed it and that stderr stays empty.
//   terminate <backend> <operation>    workers terminated at every moment; a main-thread model keeps its results
//   worker-exit <backend> <operation>  workers that call process.exit() themselves at every moment
//   many-workers <backend>             four workers with their own models, terminated together while the main model works
//   main-exit <backend> <operation> <moment>          process.exit(MAIN_EXIT_CODE) with the call running on the main thread
//   main-exit-workers <backend> <operation> <moment>  process.exit(MAIN_EXIT_CODE) with the call running in two workers
import { setTimeout as sleep } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import type { Explanation, Model } from '../../../lib/index.js'
import { busyInputs, busyModel, MAIN_EXIT_CODE, MOMENTS, OPERATIONS, startOperation, type Moment, type Operation } from './workload.js'

const workerEntry = new URL('./worker-entry.mjs', import.meta.url)

interface BusyWorker {
  worker: Worker
  started: Promise<void>
  progressed: Promise<void>
  exited: Promise<number>
}

function startWorker(backend: string, operation: Operation, seed: number, exitAt: Moment | null): BusyWorker {
  const worker = new Worker(workerEntry, { workerData: { backend, operation, seed, exitAt } })
  const message = (expected: string) => new Promise<void>((resolve) => worker.on('message', (text) => text === expected && resolve()))
  worker.on('error', (error) => {
    console.error(`worker ${seed} failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  })
  return { worker, started: message('started'), progressed: message('progress'), exited: new Promise((resolve) => worker.on('exit', resolve)) }
}

function reached(busy: BusyWorker, moment: Moment): Promise<unknown> {
  return busy.started.then(() => (moment === 'progress' ? Promise.race([busy.progressed, busy.exited]) : sleep(moment)))
}

/** A model on the main thread whose results must not change whatever happens to the workers. */
async function mainModelCheck(backend: string): Promise<{ model: Model; check: (what: string) => Promise<void> }> {
  const model = await busyModel(backend, 99)
  const probe = busyInputs(40, 99)
  const relevance = (explanations: Explanation[]) => explanations.map((explanation) => Array.from(explanation.relevance).join()).join(';')
  const expected = relevance(await model.explainBatch(probe))
  const check = async (what: string) => {
    if (relevance(await model.explainBatch(probe)) !== expected || relevance([model.explain(probe[0])]) !== expected.split(';')[0]) {
      console.error(`the main-thread model changed its results ${what}`)
      process.exitCode = 1
    }
  }
  return { model, check }
}

async function terminateAtEveryMoment(backend: string, operation: Operation): Promise<void> {
  const { check } = await mainModelCheck(backend)
  for (const [k, moment] of MOMENTS.entries()) {
    const busy = startWorker(backend, operation, k, null)
    await reached(busy, moment)
    await busy.worker.terminate()
    await check(`after terminate() at ${moment}`)
    console.log(`terminated at ${moment}`)
  }
}

async function workerExitAtEveryMoment(backend: string, operation: Operation): Promise<void> {
  const { check } = await mainModelCheck(backend)
  for (const [k, moment] of MOMENTS.entries()) {
    const code = await startWorker(backend, operation, k, moment).exited
    await check(`after a worker's process.exit() at ${moment}`)
    console.log(`worker exited with ${code} at ${moment}`)
  }
}

async function manyWorkers(backend: string): Promise<void> {
  const { model, check } = await mainModelCheck(backend)
  const moments: Moment[] = [0, 5, 20, 'progress']
  const workers = moments.map((_, k) => startWorker(backend, OPERATIONS[k % OPERATIONS.length], k, null))
  const mainWork = model.explainBatch(busyInputs(1000, 5))
  await Promise.all(workers.map((busy, k) => reached(busy, moments[k]).then(() => busy.worker.terminate())))
  await mainWork
  await check('after four workers were terminated together')
  console.log(`terminated ${workers.length} workers`)
}

async function mainExit(backend: string, operation: Operation, moment: Moment): Promise<void> {
  const model = await busyModel(backend, 1)
  const running = startOperation(model, operation, busyInputs(3000, 1), () => {
    if (moment === 'progress') process.exit(MAIN_EXIT_CODE)
  })
  if (typeof moment === 'number') setTimeout(() => process.exit(MAIN_EXIT_CODE), moment)
  await running
  console.log('finished before exiting')
}

async function mainExitWithWorkers(backend: string, operation: Operation, moment: Moment): Promise<void> {
  const workers = [0, 1].map((seed) => startWorker(backend, operation, seed, null))
  await Promise.all(workers.map((busy) => reached(busy, moment)))
  process.exit(MAIN_EXIT_CODE)
}

function momentOf(text: string): Moment {
  return text === 'progress' ? text : Number(text)
}

const [scenario, backend, operation, moment] = process.argv.slice(2)
const scenarios: Record<string, () => Promise<void>> = {
  terminate: () => terminateAtEveryMoment(backend, operation as Operation),
  'worker-exit': () => workerExitAtEveryMoment(backend, operation as Operation),
  'many-workers': () => manyWorkers(backend),
  'main-exit': () => mainExit(backend, operation as Operation, momentOf(moment)),
  'main-exit-workers': () => mainExitWithWorkers(backend, operation as Operation, momentOf(moment)),
}
await scenarios[scenario]()
