/** Width of the report's content, CSS px: the page is at most this plus 2 × 24 px padding wide. Charts are drawn at this width. */
export const REPORT_CONTENT_WIDTH_PX = 1132;
/**
 * Narrowest a chart is shown, CSS px: on a narrower screen its figure scrolls sideways instead of
 * shrinking the chart's 13 px text below about 9 px.
 */
export const REPORT_MIN_CHART_WIDTH_PX = 800;
const PADDING_PX = 24;

/**
 * The report's stylesheet, inlined in its `<head>` (the report loads nothing). Plain CSS for
 * screen and print; system fonts only. Charts take the content's whole width (`width: 100%`,
 * their `viewBox` keeps the proportions on narrower screens, down to
 * {@link REPORT_MIN_CHART_WIDTH_PX}). On a narrow screen (a phone, 480 px) the page itself never
 * scrolls sideways: each table sits in a `div.table-scroll` and each chart in its figure, which
 * scroll sideways on their own, and long words (ids, names) wrap.
 */
export const REPORT_STYLES = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6472; --line: #d9dee6; }
* { box-sizing: border-box; }
body { overflow-wrap: break-word; margin: 0 auto; padding: ${PADDING_PX}px; max-width: ${REPORT_CONTENT_WIDTH_PX + 2 * PADDING_PX}px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 4px; }
p.meta, .id, .note { color: var(--muted); }
p.period { margin: 4px 0; }
ul.notes { margin: 4px 0 0; padding-left: 18px; color: var(--muted); }
.id { display: block; font-size: 11px; font-weight: normal; }
div.table-scroll { overflow-x: auto; margin: 8px 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 0; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f4f6f9; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
span.day { white-space: nowrap; }
td.empty { color: var(--muted); font-style: italic; }
tfoot td { color: var(--muted); font-size: 12px; }
ul.evidence { margin: 0; padding-left: 16px; }
ul.evidence li { white-space: nowrap; }
ul.evidence .key { color: var(--muted); }
figure.daily-chart { margin: 8px 0 24px; overflow-x: auto; }
figure.daily-chart svg { display: block; width: 100%; min-width: ${REPORT_MIN_CHART_WIDTH_PX}px; height: auto; }
figcaption { font-weight: 600; margin-bottom: 4px; }
@media (max-width: 600px) { body { padding: 12px; } h1 { font-size: 19px; } th, td { padding: 4px 6px; } }
@media print { body { padding: 0; } div.table-scroll, figure.daily-chart { overflow: visible; } figure.daily-chart { break-inside: avoid; } }
`;
