const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `text` with the five characters HTML gives a meaning (`& < > " '`) written as entities, so it
 * can be placed in element content or a quoted attribute value and stays text. The report's
 * campaign names, reasons and evidence are user or platform data.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}
