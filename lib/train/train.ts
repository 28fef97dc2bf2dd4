/** The training loop: seeded shuffles, mini-batch steps (each an async kernel call), validation, early stopping. */
import type { KernelBatch, KernelModel, KernelTensors } from '../backend/types.js'
import type { DType, FloatArray, ModelConfig, Tensor } from '../model/types.js'
import type { SequenceInput } from '../explain/types.js'
import type { EpochRecord, Evaluation, LossName, TrainItem, TrainOptions, TrainReport } from './types.js'
import { stepsOf, toKernelBatch } from '../explain/inputs.js'
import { expectedTensors } from '../model/tensors.js'
import { checkItems, itemTargets } from './targets.js'
import { lossCode, resolveTrainOptions } from './options.js'
import { seededRandom, shuffledIndices } from './random.js'

/** Sequences per evaluation call: large enough to amortise the call, small enough to report progress. */
const EVALUATION_CHUNK = 256

export interface TrainingSubject {
  kernel: KernelModel
  config: ModelConfig
  dtype: DType
}

interface PreparedItems {
  inputs: SequenceInput[]
  targets: number[][]
}

/** Validates every item once, up front, with its index in the error. */
function prepare(subject: TrainingSubject, items: TrainItem[], loss: LossName, what: string): PreparedItems {
  const inputs = items.map((item) => item.input)
  toKernelBatch(inputs, subject.config, subject.dtype, { firstIndex: 0 })
  const targets = items.map((item, n) => itemTargets(item, stepsOf(item.input), subject.config, loss, `${what}[${n}]`))
  return { inputs, targets }
}

function batchOf(subject: TrainingSubject, prepared: PreparedItems, indices: number[]): { batch: KernelBatch; targets: Float64Array } {
  const batch = toKernelBatch(
    indices.map((n) => prepared.inputs[n]),
    subject.config,
    subject.dtype,
    { copy: true },
  )
  return { batch, targets: Float64Array.from(indices.flatMap((n) => prepared.targets[n])) }
}

async function evaluatePrepared(subject: TrainingSubject, prepared: PreparedItems, loss: LossName): Promise<Evaluation> {
  const rowsPer = (n: number) => (subject.config.head.readout === 'last' ? 1 : stepsOf(prepared.inputs[n]))
  let lossSum = 0
  let correct = 0
  let rows = 0
  for (let start = 0; start < prepared.inputs.length; start += EVALUATION_CHUNK) {
    const indices = Array.from({ length: Math.min(EVALUATION_CHUNK, prepared.inputs.length - start) }, (_, k) => start + k)
    const { batch, targets } = batchOf(subject, prepared, indices)
    const chunkRows = indices.reduce((sum, n) => sum + rowsPer(n), 0)
    const result = await subject.kernel.evaluateAsync(batch, lossCode(loss), targets)
    lossSum += result.loss * chunkRows
    correct += result.correct
    rows += chunkRows
  }
  return loss === 'cross-entropy' ? { loss: lossSum / rows, accuracy: correct / rows } : { loss: lossSum / rows }
}

export async function evaluateItems(subject: TrainingSubject, items: unknown, loss: LossName): Promise<Evaluation> {
  const checked = checkItems(items, 'data')
  return evaluatePrepared(subject, prepare(subject, checked, loss, 'data'), loss)
}

/** Buffers shaped like the model's tensors, for reading weights back from the kernel. */
export function emptyKernelTensors(config: ModelConfig, dtype: DType): KernelTensors {
  const sizes = new Map(expectedTensors(config).map(({ name, shape }) => [name, shape.reduce((a, b) => a * b, 1)]))
  const make = (name: string) => {
    const size = sizes.get(name)
    if (size === undefined) return null
    return dtype === 'f32' ? new Float32Array(size) : new Float64Array(size)
  }
  return {
    embedding: make('embedding.weight'),
    layers: config.layers.map((_, l) => ({
      W: [make(`layers.${l}.fwd.W`)!, make(`layers.${l}.bwd.W`)],
      U: [make(`layers.${l}.fwd.U`)!, make(`layers.${l}.bwd.U`)],
      b: [make(`layers.${l}.fwd.b`)!, make(`layers.${l}.bwd.b`)],
      bHn: [make(`layers.${l}.fwd.b_hn`), make(`layers.${l}.bwd.b_hn`)],
    })),
    headWeight: make('head.weight')!,
    headBias: make('head.bias'),
  }
}

/** The tensors of kernel buffers, named and shaped as in the model file. */
export function tensorsFromKernel(config: ModelConfig, dtype: DType, buffers: KernelTensors): Map<string, Tensor> {
  const byName = new Map<string, FloatArray | null>([
    ['embedding.weight', buffers.embedding],
    ['head.weight', buffers.headWeight],
    ['head.bias', buffers.headBias],
  ])
  buffers.layers.forEach((layer, l) =>
    (['fwd', 'bwd'] as const).forEach((direction, d) => {
      byName.set(`layers.${l}.${direction}.W`, layer.W[d])
      byName.set(`layers.${l}.${direction}.U`, layer.U[d])
      byName.set(`layers.${l}.${direction}.b`, layer.b[d])
      byName.set(`layers.${l}.${direction}.b_hn`, layer.bHn[d])
    }),
  )
  return new Map(expectedTensors(config).map(({ name, shape }) => [name, { dtype, shape, data: byName.get(name)! }]))
}

function better(candidate: Evaluation, best: Evaluation | undefined, monitor: 'loss' | 'accuracy'): boolean {
  if (best === undefined) return true
  return monitor === 'loss' ? candidate.loss < best.loss : (candidate.accuracy ?? 0) > (best.accuracy ?? 0)
}

/** Trains the kernel's weights in place; returns the report and, when asked to, the best epoch's weights. */
export async function runTraining(subject: TrainingSubject, data: unknown, options: TrainOptions): Promise<{ report: TrainReport; best: KernelTensors | null }> {
  const started = Date.now()
  const settings = resolveTrainOptions(options, subject.config)
  const training = prepare(subject, checkItems(data, 'data'), settings.loss, 'data')
  const validation = options.validation === undefined ? null : prepare(subject, checkItems(options.validation, 'validation'), settings.loss, 'validation')
  const random = seededRandom(settings.seed)
  const trainer = subject.kernel.createTrainer(settings.kernel)
  const history: EpochRecord[] = []
  let best: EpochRecord | undefined
  let bestWeights: KernelTensors | null = null
  let sinceBest = 0
  let stoppedEarly = false
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const order = shuffledIndices(training.inputs.length, random)
      const batches = Math.ceil(order.length / settings.batchSize)
      let lossSum = 0
      for (let b = 0; b < batches; b++) {
        const { batch, targets } = batchOf(subject, training, order.slice(b * settings.batchSize, (b + 1) * settings.batchSize))
        lossSum += await trainer.stepAsync(batch, targets)
        options.onProgress?.({ epoch, epochs: settings.epochs, batch: b + 1, batches, loss: lossSum / (b + 1) })
      }
      const record: EpochRecord = { epoch, loss: lossSum / batches }
      if (validation !== null) {
        record.validation = await evaluatePrepared(subject, validation, settings.loss)
        options.onProgress?.({ epoch, epochs: settings.epochs, batch: batches, batches, loss: record.loss, validation: record.validation })
        if (better(record.validation, best?.validation, settings.monitor)) {
          best = record
          sinceBest = 0
          if (settings.restoreBest) {
            bestWeights ??= emptyKernelTensors(subject.config, subject.dtype)
            subject.kernel.weights(bestWeights)
          }
        } else {
          sinceBest++
        }
      }
      history.push(record)
      const reachedLoss = record.validation !== undefined && record.validation.loss <= settings.stopAtLoss
      if (reachedLoss || sinceBest >= settings.patience) {
        stoppedEarly = epoch < settings.epochs
        break
      }
    }
  } finally {
    trainer.dispose()
  }
  const report: TrainReport = { epochs: history.length, history, stoppedEarly, seconds: (Date.now() - started) / 1000 }
  if (best !== undefined) report.best = best
  const keepBest = bestWeights !== null && best !== history[history.length - 1]
  return { report, best: keepBest ? bestWeights : null }
}
