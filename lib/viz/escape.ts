/** Text to put inside HTML or SVG (XML) markup, as text or as an attribute value. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * Escapes markup characters. Control characters XML 1.0 forbids (a token can hold anything) become
 * U+FFFD, so one odd token cannot make the whole SVG unparsable.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
}
