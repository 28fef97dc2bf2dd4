/** POST /v1/explain and /v1/predict: one request, or { "items": [...] } answered item by item. */
import type { Model } from '../model/model.js'
import type { BatchItem, Explanation } from '../explain/types.js'
import { LstmLrpError } from '../errors.js'
import { at } from '../cli/input/records.js'
import { explanationObject, predictionObject } from '../cli/result-objects.js'
import type { Batcher } from './batcher.js'
import { explainJob, requestRecord, type ExplainJob, type RequestBody } from './requests.js'
import { errorBody } from './http-errors.js'
import { explanationWork } from './work.js'
import { stepsOf } from '../explain/inputs.js'

/** An answer's JSON text: an items response joins them, so each result is byte for byte the answer to that item alone. */
export type Answer = { json: string } | { error: LstmLrpError }

function answerOf(job: ExplainJob, model: Model, explanation: Explanation): string {
  return JSON.stringify(explanationObject(model, explanation, job.record, job.contrast, job.provenance, { relevance: job.relevance }))
}

function batchItem(job: ExplainJob): BatchItem {
  return job.record.target === undefined ? { input: job.record.input } : { input: job.record.input, target: job.record.target }
}

function caught(error: unknown): LstmLrpError {
  if (error instanceof LstmLrpError) return error
  throw error
}

/** Runs step; as an item of a list (`items`), its error begins with its place: "items[3]: " and the message it would get alone. */
function named<T>(items: boolean, index: number, step: () => T): T {
  return items ? at(`items[${index}]`, step) : step()
}

/** Refuses, as a whole, a request whose valid items together need more than --max-work. */
function checkWork(works: number[], maxWork: number): void {
  const total = works.reduce((sum, work) => sum + work, 0)
  if (total > maxWork)
    throw new LstmLrpError(
      'E_WORK_LIMIT',
      `the request needs ${total} units of work (steps times passes: 1 for lrp and the gradients, T + 1 for occlusion, T for per-step cd, the points of integrated gradients), over --max-work ${maxWork}`,
    )
}

export async function explainAnswers(model: Model, batcher: Batcher, bodies: RequestBody[], modelFile: string, items: boolean): Promise<Answer[]> {
  const answers: Answer[] = new Array(bodies.length)
  const groups = new Map<string, { job: ExplainJob; index: number; work: number }[]>()
  bodies.forEach((body, index) => {
    try {
      const job = named(items, index, () => explainJob(model, body, modelFile))
      const group = groups.get(job.key) ?? []
      group.push({ job, index, work: explanationWork(job.options, stepsOf(job.record.input)) })
      groups.set(job.key, group)
    } catch (error) {
      answers[index] = { error: caught(error) }
    }
  })
  checkWork(
    Array.from(groups.values()).flatMap((group) => group.map(({ work }) => work)),
    batcher.maxWork,
  )
  await Promise.all(
    Array.from(groups, async ([key, group]) => {
      const outcomes = await batcher.explain(
        key,
        group[0].job.options,
        group.map(({ job }) => batchItem(job)),
        group.map(({ work }) => work),
      )
      outcomes.forEach((outcome, n) => {
        const { job, index } = group[n]
        answers[index] =
          outcome.explanation !== undefined ? { json: answerOf(job, model, outcome.explanation) } : { error: items ? new LstmLrpError(outcome.error.code, `items[${index}]: ${outcome.error.message}`) : outcome.error }
      })
    }),
  )
  return answers
}

export function predictAnswers(model: Model, bodies: RequestBody[], items: boolean): Answer[] {
  return bodies.map((body, index) => {
    try {
      const record = named(items, index, () => requestRecord(model, body))
      return {
        json: JSON.stringify(
          predictionObject(
            model,
            named(items, index, () => model.predict(record.input)),
            record,
          ),
        ),
      }
    } catch (error) {
      return { error: caught(error) }
    }
  })
}

/** { "results": [...] }: each answer's own text, or its error. */
export function resultsJson(answers: Answer[]): string {
  return `{"results":[${answers.map((answer) => ('json' in answer ? answer.json : JSON.stringify(errorBody(answer.error)))).join(',')}]}`
}
