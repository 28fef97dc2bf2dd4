/** One line naming the field, for a request body that fails its schema (ajv's errors are many and nested). */
import { describeValue } from '../describe-value.js'

export interface SchemaError {
  instancePath: string
  schemaPath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}

/** '/items/3/tokens/5' as items[3].tokens[5]; the whole body as "body". */
export function fieldName(instancePath: string): string {
  if (instancePath === '') return 'body'
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name === '' ? part : `${name}.${part}`), '')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** body: the parsed body, to tell a single request from { "items": [...] } (the schema accepts one of them). */
export function validationMessage(errors: readonly SchemaError[], body: unknown): string {
  if (!isObject(body)) return 'the body must be a JSON object: {"text": "..."}, {"tokens": [...]}, {"x": [[...]]} or {"items": [...]}'
  const branch = 'items' in body ? '#/oneOf/1/' : '#/oneOf/0/'
  const own = errors.filter((error) => error.schemaPath.startsWith(branch))
  // Alternatives fail together: the field itself is named, not each alternative's complaint.
  const union = own.find((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf')
  if (union?.keyword === 'oneOf') return `${fieldName(union.instancePath)}: give exactly one of "x", "tokens" and "text"`
  if (union !== undefined) return `${fieldName(union.instancePath)} is none of the forms it may take (see /openapi.json)`
  const first = own[0] ?? errors[0]
  if (first === undefined) return 'the body does not match the request schema'
  const where = fieldName(first.instancePath)
  if (first.keyword === 'additionalProperties') return `${where}: unknown property ${describeValue(String(first.params.additionalProperty))}`
  return `${where} ${first.message ?? 'is invalid'}`
}
