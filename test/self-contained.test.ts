// The repository is self-contained: no tracked file cites a document outside it, every
// "docs/<file>.md § <heading>" citation names a heading of that file, and every relative link of the Markdown
// docs reaches a tracked file (npm's page resolves them against package.json's repository).
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { headingAnchors, headings, linkTargets } from './helpers/markdown.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean)
const trackedSet = new Set(tracked)
const trackedFolders = new Set(
  tracked.flatMap((file) =>
    file
      .split('/')
      .slice(0, -1)
      .map((_, k, parts) => parts.slice(0, k + 1).join('/')),
  ),
)

/** Text files as git sees them: a NUL byte in the first 8000 bytes makes a file binary. */
const textFiles = tracked.flatMap((file) => {
  const bytes = readFileSync(path.join(root, file))
  return bytes.subarray(0, 8000).includes(0) ? [] : [{ file, text: bytes.toString('utf8') }]
})
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

// Spelled in pieces so that this file does not match itself.
const OUTSIDE_REFERENCES = [
  ['SPEC', ' §'],
  ['SPEC', '.md'],
  ['..', '/shared'],
  ['/work', '/shared'],
  ['ARCHITECTURE', '.md'],
].map((parts) => parts.join(''))

test('no tracked file cites a document outside the repository', (t) => {
  t.true(textFiles.length > 100, `${textFiles.length} text files`)
  const hits = textFiles.flatMap(({ file, text }) => text.split('\n').flatMap((line, index) => OUTSIDE_REFERENCES.filter((reference) => line.includes(reference)).map((reference) => `${file}:${index + 1}: ${reference}`)))
  t.deepEqual(hits, [])
})

test('every "docs/<file>.md § <heading>" citation names a heading of that file', (t) => {
  const headingsOf = new Map<string, string[]>()
  const problems: string[] = []
  let citations = 0
  for (const { file, text } of textFiles) {
    // A citation may wrap onto the next comment line: join lines, dropping comment markers.
    const joined = text.replace(/[ \t]*\n[ \t]*(?:\/\/+|\*(?!\/)|#+)?[ \t]*/g, ' ')
    for (const match of joined.matchAll(/docs\/([\w.-]+\.md) § ([^\n]+)/g)) {
      citations++
      const doc = `docs/${match[1]}`
      if (!trackedSet.has(doc)) {
        problems.push(`${file}: cites ${doc}, which is not in the repository`)
        continue
      }
      if (!headingsOf.has(doc)) headingsOf.set(doc, headings(read(doc)))
      const cited = match[2].replace(/`/g, '')
      const named = headingsOf.get(doc)!.some((heading) => cited.startsWith(heading) && !/^[\p{L}\p{N}]/u.test(cited.slice(heading.length)))
      if (!named) problems.push(`${file}: "${doc} § ${cited.slice(0, 60)}" names no heading of ${doc}`)
    }
  }
  t.true(citations > 20, `${citations} citations`)
  t.deepEqual(problems, [])
})

test('every relative link and image of README.md and docs/*.md reaches a tracked file, and every #anchor a heading', (t) => {
  const documents = tracked.filter((file) => file === 'README.md' || /^docs\/[^/]+\.md$/.test(file))
  t.true(documents.includes('docs/METHODS.md'))
  const problems: string[] = []
  let links = 0
  for (const document of documents) {
    for (const { target, line } of linkTargets(read(document))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // a URL
      links++
      const [pathPart, anchor] = target.split('#', 2)
      const resolved = pathPart === '' ? document : path.posix.normalize(path.posix.join(path.posix.dirname(document), decodeURI(pathPart))).replace(/\/$/, '')
      const where = `${document}:${line}: ${target}`
      if (!trackedSet.has(resolved) && !trackedFolders.has(resolved)) {
        problems.push(`${where} is not a tracked file`)
      } else if (anchor !== undefined && !(resolved.endsWith('.md') && headingAnchors(read(resolved)).has(anchor))) {
        problems.push(`${where}: no heading has the anchor #${anchor}`)
      }
    }
  }
  t.true(links > 5, `${links} relative links`)
  t.deepEqual(problems, [])
})

test('the link checks see headings, anchors and links as GitHub does', (t) => {
  const markdown = '# Top\n## Fig. 11.6–11.7: reward `x`\n```sh\n# not a heading\n[no](missing.md)\n```\n## Top\n[a](docs/A.md#b) ![i](img.svg "title")\n<img src="p.png">\n'
  t.deepEqual(headings(markdown), ['Top', 'Fig. 11.6–11.7: reward x', 'Top'])
  t.deepEqual([...headingAnchors(markdown)], ['top', 'fig-116117-reward-x', 'top-1'])
  t.deepEqual(
    linkTargets(markdown).map(({ target }) => target),
    ['docs/A.md#b', 'img.svg', 'p.png'],
  )
})
