// A worker thread that loads its own model and starts one long call, then tells its parent.
// With `exitAt` it ends itself with process.exit(WORKER_EXIT_CODE) that many ms after starting ('progress': from the first progress report).
import { parentPort, workerData } from 'node:worker_threads'
import { busyInputs, busyModel, startOperation, WORKER_EXIT_CODE, type Operation } from './workload.js'

const { backend, operation, seed, exitAt } = workerData as { backend: string; operation: Operation; seed: number; exitAt: number | 'progress' | null }
const model = await busyModel(backend, seed)
const inputs = busyInputs(3000, seed)
let progressed = false
const running = startOperation(model, operation, inputs, () => {
  if (!progressed) parentPort!.postMessage('progress')
  progressed = true
  if (exitAt === 'progress') process.exit(WORKER_EXIT_CODE)
})
parentPort!.postMessage('started')
if (typeof exitAt === 'number') setTimeout(() => process.exit(WORKER_EXIT_CODE), exitAt)
await running
parentPort!.postMessage('finished')
