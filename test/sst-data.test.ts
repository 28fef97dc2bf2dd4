// The Stanford Sentiment Treebank ships inside the repository (data/sst) and its test split inside the
// npm package, so `npm run train:sst` and `lstm-lrp reproduce selectivity` need no --data.
import test from 'ava'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { packageRoot } from '../lib/backend/package-root.js'
import { defaultSstDir, readSstTrees } from '../lib/reproduce/sst/data.js'
import { LstmLrpError } from '../lib/index.js'
import { runCli } from './helpers/run-cli.js'
import { scratchDirectory } from './helpers/scratch-directory.js'

test("the default SST folder is the package's own data/sst, and its test split has 2210 sentences", async (t) => {
  t.is(defaultSstDir(), path.join(packageRoot(), 'data', 'sst'))
  t.is((await readSstTrees(defaultSstDir(), 'test')).length, 2210)
})

test('every gzipped split matches the md5 of the official file that data/sst/README.md lists', async (t) => {
  const readme = await readFile(path.join(defaultSstDir(), 'README.md'), 'utf8')
  for (const split of ['train', 'dev', 'test']) {
    const listed = new RegExp(`\\| ${split}\\.txt\\.gz \\| \\d+ \\| ([0-9a-f]{32}) \\|`).exec(readme)?.[1] ?? `${split} is not listed`
    const text = gunzipSync(await readFile(path.join(defaultSstDir(), `${split}.txt.gz`)))
    t.is(createHash('md5').update(text).digest('hex'), listed, split)
  }
})

test("a folder with the release's plain .txt files reads as well as the gzipped copy", async (t) => {
  const dir = await scratchDirectory(t, 'lstm-lrp-sst-')
  await writeFile(path.join(dir, 'dev.txt'), '(3 (2 a) (4 (3 good) (2 film)))\n\n(1 (1 dull))\n')
  t.is((await readSstTrees(dir, 'dev')).length, 2)
})

test('a missing split fails with E_INPUT naming both file names and where to get the treebank', async (t) => {
  const dir = await scratchDirectory(t, 'lstm-lrp-sst-')
  const error = await t.throwsAsync(readSstTrees(dir, 'train'), { instanceOf: LstmLrpError })
  t.is(error?.code, 'E_INPUT')
  t.true(error?.message.includes(path.join(dir, 'train.txt.gz')), error?.message)
  t.regex(error?.message ?? '', /trainDevTestTrees_PTB\.zip from https:\/\/nlp\.stanford\.edu\/sentiment\/.*--data DIR/)
})

test('`reproduce selectivity --help` shows data/sst of the package as the default folder', async (t) => {
  const run = await runCli(['reproduce', 'selectivity', '--help'])
  t.is(run.code, 0, run.stderr)
  // The help names the folder without resolving it: resolving it would load the reproduction module for every command.
  t.true(run.stdout.replace(/\s+/g, ' ').includes("(default: the package's data/sst)"), run.stdout)
})
