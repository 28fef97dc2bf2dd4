// Reading Markdown the way GitHub renders it: headings and their anchors, links, fenced code blocks.

/** Lines outside fenced code blocks (``` or ~~~), with their 0-based line numbers. */
function proseLines(text: string): { line: string; index: number }[] {
  const lines: { line: string; index: number }[] = []
  let fence: string | undefined
  text.split('\n').forEach((line, index) => {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1]
    if (marker !== undefined && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined
      return
    }
    if (fence === undefined) lines.push({ line, index })
  })
  return lines
}

/** The text of every ATX heading (`## Text`), inline code marks removed. */
export function headings(text: string): string[] {
  return proseLines(text)
    .map(({ line }) => /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1])
    .filter((heading): heading is string => heading !== undefined)
    .map((heading) => heading.replace(/`/g, ''))
}

/** GitHub's heading anchors: lowercased, punctuation dropped, each space a hyphen, repeats numbered -1, -2, … */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const heading of headings(text)) {
    const base = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

/** Targets of inline links and images, reference definitions and HTML src/href, outside code. */
export function linkTargets(text: string): { target: string; line: number }[] {
  const targets: { target: string; line: number }[] = []
  for (const { line, index } of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, '')
    for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push({ target: match[1], line: index + 1 })
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose)
    if (definition) targets.push({ target: definition[1], line: index + 1 })
    for (const match of prose.matchAll(/\b(?:src|href)="([^"]+)"/g)) targets.push({ target: match[1], line: index + 1 })
  }
  return targets
}

/** The contents of every fenced code block of the given language (```json). */
export function codeBlocks(text: string, language: string): string[] {
  const blocks: string[] = []
  const pattern = new RegExp(`^\`\`\`${language}[ \\t]*\\n([\\s\\S]*?)^\`\`\`[ \\t]*$`, 'gm')
  for (const match of text.matchAll(pattern)) blocks.push(match[1])
  return blocks
}
