import { formatAge } from './format-age';
import type { JobDetails } from './job-details';

/** `jobs-cli show`'s text: a header of fields, then data, options, result, failure and logs, each under a heading. */
export function formatJobDetails(d: JobDetails, now: number): string {
  const at = (t: number | null) => (t === null ? '-' : `${new Date(t).toISOString()} (${formatAge(t, now)})`);
  const lines = [
    `job        ${d.id}`,
    `name       ${d.name}`,
    `queue      ${d.queue}`,
    `state      ${d.state}`,
    `attempts   ${d.attemptsMade} made, ${d.attemptsStarted} started, ${d.attempts} allowed`,
    `progress   ${typeof d.progress === 'object' ? JSON.stringify(d.progress) : String(d.progress)}`,
    `added      ${at(d.timestamp)}`,
    `started    ${at(d.processedOn)}`,
    `finished   ${at(d.finishedOn)}`,
  ];
  if (d.delayedUntil !== null) lines.push(`due        ${at(d.delayedUntil)}`);
  lines.push('', 'data:', indent(JSON.stringify(d.data, null, 2)), '', 'options:', indent(JSON.stringify(d.opts, null, 2)));
  if (d.returnvalue !== null) lines.push('', 'result:', indent(JSON.stringify(d.returnvalue, null, 2)));
  if (d.failedReason !== null) lines.push('', `failed reason: ${d.failedReason}`);
  if (d.stacktrace.length > 0) lines.push('', 'stack traces (one per failed attempt, latest last):', ...d.stacktrace.map((s) => indent(s)));
  lines.push('', d.logs.length > 0 ? `logs (${d.logs.length}):` : 'logs: none', ...d.logs.map((l) => indent(l)));
  return `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
