// Every ```ts example in docs/RENDERING.md type-checks and runs as written against the package, imported
// by its name from a folder where it is installed (a node_modules link to this checkout's build).
import test from 'ava'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const examples = [...readFileSync(path.join(root, 'docs', 'RENDERING.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1])
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-rendering-doc-'))
mkdirSync(path.join(work, 'node_modules', '@types'), { recursive: true })
symlinkSync(root, path.join(work, 'node_modules', 'lstm-lrp'), 'dir')
symlinkSync(path.join(root, 'node_modules', '@types', 'node'), path.join(work, 'node_modules', '@types', 'node'), 'dir')
const files = examples.map((code, n) => {
  const file = path.join(work, `example-${n}.mts`)
  writeFileSync(file, code)
  return file
})
test.after.always(() => rmSync(work, { recursive: true, force: true }))

test('docs/RENDERING.md has an example for each render function', (t) => {
  for (const name of ['renderTerminal', 'renderHtml', 'renderSvg', 'seriesOf'])
    t.true(
      examples.some((code) => new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from 'lstm-lrp'`).test(code) && code.includes(`${name}(`)),
      name,
    )
})

test('the examples type-check against the package', async (t) => {
  const config = { compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] }, files }
  writeFileSync(path.join(work, 'tsconfig.json'), JSON.stringify(config))
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  const result = await run(process.execPath, [tsc, '-p', work]).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }))
  t.false('failed' in result, result.stdout)
})

for (const [n, file] of files.entries())
  test(`example ${n + 1} runs`, async (t) => {
    const { stdout } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), file], { cwd: work })
    t.true(stdout.length > 0 || examples[n].includes('writeFileSync'), 'it printed or wrote something')
  })
