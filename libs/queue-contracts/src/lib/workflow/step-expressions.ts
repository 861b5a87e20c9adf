import type { WorkflowStep } from './definition-schema';
import { isLiteralHttpUrl } from './is-literal-http-url';

/** One JSONata expression of a step: the field holding it (`condition`, `values["lead.score"]` …) and its text. */
export interface StepExpression {
  readonly field: string;
  readonly expression: string;
}

/** `name` as a path segment: `.name` when it reads as an identifier, else `["name"]`. */
function member(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/**
 * Every JSONata expression of `step`, with the field that holds it (relative to the step):
 * `input` of job steps, `until` of `wait`, `condition` of `branch`, `url` (unless a literal URL)
 * and `body` of `http_request`, each value of `set` (`values.score`, `values["lead.score"]`),
 * `output` of `end`.
 */
export function stepExpressions(step: WorkflowStep): StepExpression[] {
  const found: StepExpression[] = [];
  const add = (field: string, expression: string | undefined) => {
    if (expression !== undefined) found.push({ field, expression });
  };
  switch (step.kind) {
    case 'enrich_lead':
    case 'draft_email':
    case 'place_call':
      add('input', step.input);
      break;
    case 'wait':
      add('until', step.until);
      break;
    case 'branch':
      add('condition', step.condition);
      break;
    case 'http_request':
      if (!isLiteralHttpUrl(step.url)) add('url', step.url);
      add('body', step.body);
      break;
    case 'set':
      for (const [path, expression] of Object.entries(step.values)) add(`values${member(path)}`, expression);
      break;
    case 'end':
      add('output', step.output);
      break;
    case 'wait_for_event':
      break;
  }
  return found;
}

/**
 * Every step id `step` names, with the field that names it: `next`, `onError`, and `then`/`else`
 * of `branch`, `onEvent`/`onTimeout` of `wait_for_event`.
 */
export function stepReferences(step: WorkflowStep): { field: string; stepId: string }[] {
  const fields: [string, string | undefined][] = [
    ['next', step.next],
    ['onError', step.onError],
  ];
  if (step.kind === 'branch') fields.push(['then', step.then], ['else', step.else]);
  if (step.kind === 'wait_for_event') fields.push(['onEvent', step.onEvent], ['onTimeout', step.onTimeout]);
  return fields.filter((f): f is [string, string] => f[1] !== undefined).map(([field, stepId]) => ({ field, stepId }));
}

/** Formats a zod-style path (`['steps', 3, 'values', 'lead.score']`) as `steps[3].values["lead.score"]`. */
export function formatDocumentPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 && typeof segment === 'string' ? segment : member(String(segment))))
    .join('');
}
