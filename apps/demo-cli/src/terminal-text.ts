// C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates
// that can reorder what a line appears to say.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal: control characters removed, so a string from a provider
 * (an order field, an error description) cannot clear the screen, set the
 * window title, colour or move the cursor, or fake earlier output.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, '');
}
