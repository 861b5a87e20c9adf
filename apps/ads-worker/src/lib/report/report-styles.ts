/** Width of the report's content, CSS px: the page is at most this plus 2 × 24 px padding wide. Charts are drawn at this width. */
export const REPORT_CONTENT_WIDTH_PX = 1132;
const PADDING_PX = 24;

/**
 * The report's stylesheet, inlined in its `<head>` (the report loads nothing). Plain CSS for
 * screen and print; system fonts only. Charts take the content's whole width (`width: 100%`,
 * their `viewBox` keeps the proportions on narrower screens).
 */
export const REPORT_STYLES = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #d9dee6; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: ${PADDING_PX}px; max-width: ${REPORT_CONTENT_WIDTH_PX + 2 * PADDING_PX}px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 4px; }
p.meta, .id, .note { color: var(--muted); }
p.period { margin: 4px 0; }
ul.notes { margin: 4px 0 0; padding-left: 18px; color: var(--muted); }
.id { display: block; font-size: 11px; font-weight: normal; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f4f6f9; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.empty { color: var(--muted); font-style: italic; }
tfoot td { color: var(--muted); font-size: 12px; }
ul.evidence { margin: 0; padding-left: 16px; }
ul.evidence li { white-space: nowrap; }
ul.evidence .key { color: var(--muted); }
figure.daily-chart { margin: 8px 0 24px; }
figure.daily-chart svg { display: block; width: 100%; height: auto; }
figcaption { font-weight: 600; margin-bottom: 4px; }
@media print { body { padding: 0; } figure.daily-chart { break-inside: avoid; } }
`;
