/** The paper reproduction is its own entry point (lstm-lrp/reproduce): the main entry and the CLI's start never load it. */
import test from 'ava'
import { build, type Metafile } from 'esbuild'

/** The repository's source files `entry` reaches; with `dynamic`, also through import(). */
async function reached(entry: string, dynamic: boolean): Promise<string[]> {
  const { metafile } = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' })
  const inputs: Metafile['inputs'] = metafile.inputs
  const seen = new Set([entry])
  const queue = [entry]
  for (let file = queue.pop(); file !== undefined; file = queue.pop())
    for (const { path, kind } of inputs[file].imports)
      if ((dynamic || kind !== 'dynamic-import') && Object.hasOwn(inputs, path) && !seen.has(path)) {
        seen.add(path)
        queue.push(path)
      }
  return [...seen]
}

const reproduceFiles = (files: string[]) => files.filter((file) => file.startsWith('lib/reproduce/'))

test('the main entry reaches no file of lib/reproduce, not even through import()', async (t) => {
  const files = await reached('lib/index.ts', true)
  t.true(files.includes('lib/model/model.ts'))
  t.deepEqual(reproduceFiles(files), [])
})

test('the CLI loads lib/reproduce only through import(), when a reproduce subcommand runs', async (t) => {
  t.deepEqual(reproduceFiles(await reached('lib/cli/main.ts', false)), [])
  t.true(reproduceFiles(await reached('lib/cli/main.ts', true)).includes('lib/reproduce/index.ts'))
})

test("'lstm-lrp/reproduce' resolves to the built experiments; 'lstm-lrp' does not export them", async (t) => {
  const reproduce = await import('lstm-lrp/reproduce')
  const main: Record<string, unknown> = await import('lstm-lrp')
  for (const name of ['runFidelity', 'runSelectivity', 'runRewardRedistribution', 'fidelityTable', 'readSstTrees'] as const) {
    t.is(typeof reproduce[name], 'function', name)
    t.false(name in main, name)
  }
  t.is(reproduce.SELECTIVITY_EPS, 0.0019)
})
