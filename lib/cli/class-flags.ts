/**
 * Classes on the command line and in lines: --target and --versus by index or label name, and
 * --target-from y, which explains the class a line's "y" names.
 */
import type { ClassRef, Target } from '../explain/types.js'
import type { ModelConfig } from '../model/types.js'
import { classIndex } from '../explain/target.js'
import { describeValue, excerpt } from '../describe-value.js'
import type { InputRecord } from './input/records.js'
import { integerFlag } from './number-flags.js'
import { UsageError } from './usage.js'

const INTEGER = /^[+-]?\d+$/

export interface ClassFlags {
  target?: string
  versus?: string
  targetFrom?: 'y'
}

/** A target class contrasted with another (--versus), for the output's "label". */
export interface Contrast {
  target: ClassRef
  versus: ClassRef
}

/**
 * A class flag's value: the model's label of that exact name, else a whole number as a class
 * index, else an error listing the labels. So a model labelled "1" … "5" reads --target 1 as
 * the label "1" (index 0); any other model reads it as index 1.
 */
function classFlag(value: string, flag: string, config: ModelConfig): ClassRef {
  const { labels, head } = config
  if (labels?.includes(value)) return value
  if (labels === undefined && !INTEGER.test(value)) throw new UsageError(`${flag} must be a whole decimal number; got '${excerpt(value)}' (the model has no labels: classes are indices in [0, ${head.outputs}))`)
  const cls: ClassRef = INTEGER.test(value) ? integerFlag(value, flag) : value
  classIndex(cls, head.outputs, flag, labels)
  return cls
}

/** --target and --versus, checked against the model's classes before any input is read. */
export function classFlags(flags: ClassFlags, config: ModelConfig): { target?: ClassRef; versus?: ClassRef } {
  const target = flags.target === undefined ? undefined : classFlag(flags.target, '--target', config)
  const versus = flags.versus === undefined ? undefined : classFlag(flags.versus, '--versus', config)
  const index = (cls: ClassRef) => classIndex(cls, config.head.outputs, 'class', config.labels)
  if (target !== undefined && versus !== undefined && index(target) === index(versus)) throw new UsageError(`--versus names the --target class itself (${className(target, config.labels)}): the contrast would be zero`)
  return { ...(target !== undefined ? { target } : {}), ...(versus !== undefined ? { versus } : {}) }
}

/** --versus contrasts with a target, so one must come from --target, --target-from or (in JSON lines) a line's "target". */
export function checkClassFlags(flags: ClassFlags & { text?: string; tokens?: string }): void {
  if (flags.target !== undefined && flags.targetFrom !== undefined) throw new UsageError('give --target or --target-from, not both')
  const fromLines = flags.text === undefined && flags.tokens === undefined
  if (flags.versus !== undefined && flags.target === undefined && flags.targetFrom === undefined && !fromLines) throw new UsageError('--versus needs --target: the class to contrast with it')
}

/** The target a record asks for: its "target", or with --target-from y its "y". */
export function recordTarget(record: InputRecord, flags: ClassFlags): Target | undefined {
  if (flags.targetFrom === undefined) return record.target
  const { where, y } = record
  if (record.target !== undefined) throw new UsageError(`${where}: the line has a "target" and --target-from y explains its "y": give one`)
  if (y === undefined) throw new UsageError(`${where}: no "y" to explain (--target-from y)`)
  if (typeof y !== 'number' && typeof y !== 'string') throw new UsageError(`${where}: --target-from y needs "y" to be one class (an index or a label name); got ${describeValue(y)}`)
  return y
}

/** The contrast a target and --versus make; null without --versus. */
export function contrastOf(target: Target | undefined, versus: ClassRef | undefined): Contrast | null {
  if (versus === undefined || target === undefined) return null
  if (typeof target === 'number' || typeof target === 'string') return { target, versus }
  return Array.isArray(target) ? { target: target[1], versus } : null
}

export function className(cls: ClassRef, labels: readonly string[] | undefined): string {
  return typeof cls === 'string' ? cls : (labels?.[cls] ?? `class ${cls}`)
}

/** "positive vs negative" (classes without labels: "class 3 vs class 1"). */
export function contrastName(contrast: Contrast, labels: readonly string[] | undefined): string {
  return `${className(contrast.target, labels)} vs ${className(contrast.versus, labels)}`
}
