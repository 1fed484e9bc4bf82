/**
 * Text for a terminal: every character a terminal could act on, written as a visible `\uXXXX`
 * escape instead. That is C0 controls but tab and line feed (ESC starts CSI/OSC sequences: colours,
 * cursor moves, the clipboard through OSC 52), DEL, C1 controls (U+009B is a CSI on its own for many
 * terminals), the Unicode line separators and the bidirectional embedding, override and isolate
 * controls (text that reads differently from what it is). The escape is JSON's, so JSON output stays
 * valid JSON with the same meaning (JSON.stringify leaves C1 and the others raw). Pure.
 */

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const escape = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escape)
}
