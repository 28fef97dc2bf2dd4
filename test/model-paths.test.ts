// loadModel(path) reads regular files only, of a size memory can hold: a device, a named pipe or a
// huge file is refused before any byte is read (each case in a child under a time and heap guard).
import test from 'ava'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { constants as bufferConstants } from 'node:buffer'
import { tmpdir, totalmem } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('../lib/index.ts', import.meta.url))
const work = mkdtempSync(path.join(tmpdir(), 'lstm-lrp-model-paths-'))
test.after.always(() => rmSync(work, { recursive: true, force: true }))

function loadInChild(file: string): { code?: string; message?: string; status: number | null; signal: string | null } {
  const script = `import { loadModel } from ${JSON.stringify(entry)}
loadModel(${JSON.stringify(file)}).then(
  () => console.log(JSON.stringify({ loaded: true })),
  (error) => console.log(JSON.stringify({ code: error.code, message: error.message })),
)`
  const run = spawnSync(process.execPath, ['--max-old-space-size=256', '--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  const last = run.stdout.trim().split('\n').pop() ?? ''
  return { ...(last.startsWith('{') ? JSON.parse(last) : {}), status: run.status, signal: run.signal }
}

test('loadModel refuses devices, named pipes, directories and files larger than memory can hold, without reading them', (t) => {
  const fifo = path.join(work, 'model.fifo')
  execFileSync('mkfifo', [fifo])
  const limit = Math.min(bufferConstants.MAX_LENGTH, totalmem())
  const huge = path.join(work, 'huge.safetensors')
  writeFileSync(huge, '')
  truncateSync(huge, limit + 1) // sparse: takes no disk space
  const cases: [string, RegExp][] = [
    ['/dev/zero', /cannot read model file \/dev\/zero: it is a device, not a regular file/],
    ['/dev/urandom', /it is a device, not a regular file/],
    [fifo, /it is a named pipe, not a regular file/],
    [work, /it is a directory, not a regular file/],
    [huge, new RegExp(`it is ${limit + 1} bytes, over the limit of ${limit}`)],
  ]
  for (const [file, message] of cases) {
    const result = loadInChild(file)
    t.is(result.signal, null, `${file}: the child was stopped (${result.signal}): the read did not end`)
    t.is(result.code, 'E_MODEL_FILE', file)
    t.regex(result.message ?? '', message)
  }
})
