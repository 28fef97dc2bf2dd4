/**
 * What the doc-test does with each fenced block of the documentation, from its language and its
 * annotations (written as `<!-- doc-test: ... -->` on the line before the fence):
 *
 *   clone                  run in a fresh git clone of the repository instead of the scratch project
 *   browser                (js/ts) bundle with Vite and run in headless Chromium instead of Node
 *   files: DEST=SRC, ...   copy repository files into the folder first (SRC relative to the repository)
 *   expect: TEXT           the output must contain TEXT (one per annotation)
 *   skip: REASON           not run; listed with its reason
 *
 * TypeScript and JavaScript blocks run as modules with tsx, shell blocks with bash; blocks without
 * a language (synopses) and data blocks (json, csv, ...) are not run; a block in any other language
 * must say why it is skipped.
 *
 *   tsx scripts/doc-test/plan.ts OUT ROOT FILE...   writes OUT/plan.tsv and one folder per block
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { extractBlocks, type CodeBlock } from './extract.js'

export type Runner = 'tsx' | 'bash' | 'browser'

export type BlockPlan =
  { action: 'run'; runner: Runner; place: 'project' | 'clone'; extension: string; files: { dest: string; source: string }[]; expect: string[] } | { action: 'skip' | 'invalid' | 'none'; reason: string }

const SCRIPTS: Record<string, string> = { ts: '.mts', typescript: '.mts', mts: '.mts', js: '.mjs', javascript: '.mjs', mjs: '.mjs' }
const SHELLS = new Set(['sh', 'bash', 'shell'])
const DATA = new Set(['json', 'jsonc', 'json5', 'jsonl', 'ndjson', 'csv', 'tsv', 'text', 'txt', 'plaintext', 'output', 'log', 'html', 'svg', 'xml', 'yaml', 'yml', 'toml', 'ini', 'diff', 'md', 'markdown'])

export function planBlock(block: CodeBlock): BlockPlan {
  const skip = block.annotations.find((text) => /^skip\b/.test(text))
  if (skip !== undefined) {
    const reason = /^skip:\s*(\S.*)$/.exec(skip)?.[1]
    if (reason === undefined) return { action: 'invalid', reason: `'${skip}': a skip needs a reason (skip: REASON)` }
    if (block.annotations.length > 1) return { action: 'invalid', reason: 'a skipped block takes no other annotation' }
    return { action: 'skip', reason }
  }
  const extension = SCRIPTS[block.language] ?? (SHELLS.has(block.language) ? '.sh' : undefined)
  if (extension === undefined) {
    if (block.annotations.length > 0) return { action: 'invalid', reason: `annotations on a ${block.language || 'synopsis'} block, which is not run` }
    if (block.language === '') return { action: 'none', reason: 'a synopsis' }
    if (DATA.has(block.language)) return { action: 'none', reason: `${block.language} data` }
    return { action: 'invalid', reason: `no runner for '${block.language}': annotate the block <!-- doc-test: skip: REASON -->` }
  }
  let runner: Runner = extension === '.sh' ? 'bash' : 'tsx'
  let place: 'project' | 'clone' = 'project'
  const files: { dest: string; source: string }[] = []
  const expect: string[] = []
  for (const text of block.annotations) {
    const [, name, value] = /^([a-z]+)(?::\s*(.*))?$/.exec(text) ?? []
    if (name === 'clone' && value === undefined) place = 'clone'
    else if (name === 'browser' && value === undefined && runner === 'tsx') runner = 'browser'
    else if (name === 'expect' && value) expect.push(value)
    else if (name === 'files' && value) {
      for (const pair of value.split(',')) {
        const [dest, source] = pair.split('=').map((part) => part.trim())
        if (!dest || !source || path.isAbsolute(dest) || dest.split(/[\\/]/).includes('..')) return { action: 'invalid', reason: `files: '${pair.trim()}' is not DEST=SOURCE within the folder` }
        files.push({ dest, source })
      }
    } else return { action: 'invalid', reason: `unknown annotation '${text}' (clone, browser, files: DEST=SRC, expect: TEXT, skip: REASON)` }
  }
  if (runner === 'browser' && place === 'clone') return { action: 'invalid', reason: 'browser and clone do not combine' }
  return { action: 'run', runner, place, extension, files, expect }
}

function main(out: string, root: string, documents: string[]): void {
  mkdirSync(out, { recursive: true })
  const rows: string[] = []
  let count = 0
  for (const document of documents) {
    const name = path.relative(root, path.resolve(document)).split(path.sep).join('/')
    const { blocks, stray } = extractBlocks(readFileSync(document, 'utf8'))
    const entries = stray.map((entry) => ({ line: entry.line, fields: ['invalid', `'${entry.text}' is not on the line before a fence`] }))
    for (const block of blocks) {
      const plan = planBlock(block)
      if (plan.action !== 'run') {
        entries.push({ line: block.line, fields: [plan.action, plan.reason] })
        continue
      }
      const folder = path.join(out, String(++count))
      mkdirSync(folder)
      writeFileSync(path.join(folder, `sample${plan.extension}`), block.code)
      writeFileSync(path.join(folder, 'files'), plan.files.map(({ dest, source }) => `${dest}\t${source}\n`).join(''))
      writeFileSync(path.join(folder, 'expect'), plan.expect.map((text) => `${text}\n`).join(''))
      entries.push({ line: block.line, fields: ['run', `${plan.runner} ${plan.place} ${block.language}`, folder] })
    }
    entries.sort((a, b) => a.line - b.line)
    for (const { line, fields } of entries) rows.push([`${name}:${line}`, ...fields].join('\t'))
  }
  writeFileSync(path.join(out, 'plan.tsv'), rows.map((row) => `${row}\n`).join(''))
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [out, root, ...documents] = process.argv.slice(2)
  main(out, root, documents)
}
