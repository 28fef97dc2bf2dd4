/**
 * The fenced code blocks of a Markdown file, with the doc-test annotations written on the lines
 * just before each fence (`<!-- doc-test: clone -->`). Fences follow CommonMark: three or more
 * backticks or tildes, closed by a run of the same character at least as long (so a ```` fence
 * can show ``` inside), an info string whose first word is the language, and a block left open
 * runs to the end of the file.
 */

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  line: number
  /** First word of the info string, lowercased; '' for a block without one (a synopsis). */
  language: string
  /** The lines between the fences, without the fence's indentation. */
  code: string
  /** The text of each `<!-- doc-test: TEXT -->` on the lines just before the fence, in order. */
  annotations: string[]
}

/** An annotation that no fence follows: a typo or a stale comment, reported rather than ignored. */
export interface StrayAnnotation {
  line: number
  text: string
}

const OPENING = /^( *)(`{3,}|~{3,})(.*)$/
const ANNOTATION = /^ *<!--\s*doc-test:\s*(.*?)\s*-->\s*$/

export function extractBlocks(markdown: string): { blocks: CodeBlock[]; stray: StrayAnnotation[] } {
  const lines = markdown.split(/\r?\n/)
  const blocks: CodeBlock[] = []
  const stray: StrayAnnotation[] = []
  let pending: StrayAnnotation[] = []
  for (let i = 0; i < lines.length; i++) {
    const annotation = ANNOTATION.exec(lines[i])
    if (annotation) {
      pending.push({ line: i + 1, text: annotation[1] })
      continue
    }
    const opening = OPENING.exec(lines[i])
    // A backtick fence's info string cannot hold a backtick (``` `x` ``` is inline code).
    if (!opening || (opening[2][0] === '`' && opening[3].includes('`'))) {
      stray.push(...pending)
      pending = []
      continue
    }
    const [, indent, fence, info] = opening
    const closing = new RegExp(`^ *${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`)
    const body: string[] = []
    let end = i + 1
    for (; end < lines.length && !closing.test(lines[end]); end++) body.push(stripIndent(lines[end], indent.length))
    blocks.push({
      line: i + 1,
      language: (info.trim().split(/\s+/)[0] ?? '').toLowerCase(),
      code: body.length > 0 ? `${body.join('\n')}\n` : '',
      annotations: pending.map((entry) => entry.text),
    })
    pending = []
    i = end
  }
  stray.push(...pending)
  return { blocks, stray }
}

/** A fence indented by n spaces removes up to n spaces from each of its lines. */
function stripIndent(line: string, n: number): string {
  let k = 0
  while (k < n && line[k] === ' ') k++
  return line.slice(k)
}
