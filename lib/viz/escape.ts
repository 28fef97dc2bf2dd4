/** Text for people to read, and text to put inside HTML or SVG (XML) markup as text or as an attribute value. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * Characters that draw nothing, yet reorder, hide or break the text around them: controls (C0, C1,
 * U+0085 NEXT LINE), format characters (bidi embeddings, overrides, isolates and marks; zero-width
 * spaces and joiners, word joiner, invisible operators, the BOM, soft hyphen), line and paragraph
 * separators, lone surrogates, and the noncharacters U+FFFE and U+FFFF that XML forbids.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\ufffe\uffff]/gu

/**
 * Each invisible character as a visible ⟨U+XXXX⟩, so a token shows what it contains and cannot
 * reorder (U+202E), hide or push to another line the tokens that follow it.
 */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (character) => `⟨U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`)
}

/** Invisible characters shown, then markup characters escaped: one odd token can neither reorder nor break the document. */
export function escapeMarkup(text: string): string {
  return showInvisible(text).replace(/[&<>"']/g, (character) => ENTITIES[character])
}
