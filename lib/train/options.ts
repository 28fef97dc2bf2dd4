/** Training options: validated, defaulted, and laid out for the kernel. */
import type { KernelTrainOptions } from '../backend/types.js'
import type { ModelConfig } from '../model/types.js'
import type { LossName, OptimizerName, TrainOptions } from './types.js'
import { onlyKeys, oneOf, optionError } from '../option-checks.js'
import { describeValue } from '../describe-value.js'

export const LOSS_CODES: Record<LossName, number> = { mse: 0, 'cross-entropy': 1 }
export const OPTIMIZER_CODES: Record<OptimizerName, number> = { adam: 0, adagrad: 1 }
const OPTION_KEYS = ['loss', 'epochs', 'batchSize', 'lr', 'optimizer', 'beta1', 'beta2', 'epsilon', 'weightDecay', 'clipNorm', 'seed', 'validation', 'patience', 'monitor', 'stopAtLoss', 'restoreBest', 'onProgress']

function positiveInteger(value: unknown, what: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) optionError(`${what} must be a positive integer; got ${describeValue(value)}`)
  return value as number
}

function finiteAtLeast(value: unknown, minimum: number, what: string, exclusive = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (exclusive ? value > minimum : value >= minimum)
  if (!ok) optionError(`${what} must be a finite number ${exclusive ? '>' : '>='} ${minimum}; got ${describeValue(value)}`)
  return value as number
}

export interface ResolvedTrainOptions {
  loss: LossName
  epochs: number
  batchSize: number
  seed: number
  patience: number
  monitor: 'loss' | 'accuracy'
  stopAtLoss: number
  restoreBest: boolean
  kernel: KernelTrainOptions
}

export function defaultLoss(config: ModelConfig): LossName {
  return config.task === 'classification' ? 'cross-entropy' : 'mse'
}

export function lossCode(loss: LossName): number {
  return LOSS_CODES[loss]
}

export function resolveTrainOptions(options: TrainOptions, config: ModelConfig): ResolvedTrainOptions {
  if (typeof options !== 'object' || options === null) optionError('train options must be an object')
  onlyKeys(options, OPTION_KEYS, 'train options')
  const loss = oneOf(LOSS_CODES, options.loss ?? defaultLoss(config), 'loss')
  const optimizer = oneOf(OPTIMIZER_CODES, options.optimizer ?? 'adam', 'optimizer')
  const monitor = options.monitor ?? 'loss'
  if (monitor !== 'loss' && monitor !== 'accuracy') optionError(`monitor must be 'loss' or 'accuracy'; got ${describeValue(monitor)}`)
  if (monitor === 'accuracy' && loss !== 'cross-entropy') optionError("monitor 'accuracy' needs the cross-entropy loss")
  const seed = options.seed ?? 0
  if (!Number.isInteger(seed)) optionError(`seed must be an integer; got ${describeValue(seed)}`)
  return {
    loss,
    epochs: positiveInteger(options.epochs ?? 10, 'epochs'),
    batchSize: positiveInteger(options.batchSize ?? 32, 'batchSize'),
    seed,
    patience: options.patience === undefined ? Infinity : positiveInteger(options.patience, 'patience'),
    monitor,
    stopAtLoss: options.stopAtLoss === undefined ? -Infinity : finiteAtLeast(options.stopAtLoss, 0, 'stopAtLoss'),
    restoreBest: options.restoreBest ?? true,
    kernel: {
      loss: LOSS_CODES[loss],
      optimizer: OPTIMIZER_CODES[optimizer],
      learningRate: finiteAtLeast(options.lr ?? 0.001, 0, 'lr', true),
      beta1: finiteAtLeast(options.beta1 ?? 0.9, 0, 'beta1'),
      beta2: finiteAtLeast(options.beta2 ?? 0.999, 0, 'beta2'),
      epsilon: finiteAtLeast(options.epsilon ?? 1e-8, 0, 'epsilon', true),
      weightDecay: finiteAtLeast(options.weightDecay ?? 0, 0, 'weightDecay'),
      clipNorm: finiteAtLeast(options.clipNorm ?? 0, 0, 'clipNorm'),
    },
  }
}
