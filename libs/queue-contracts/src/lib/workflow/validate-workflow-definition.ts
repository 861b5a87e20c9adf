// jsonata is an interpreter: `grep -n "new Function\|eval(" node_modules/jsonata/jsonata.js`
// finds nothing in 2.2.2, so compiling or evaluating a definition's expression never runs
// JavaScript built from it (its `$eval` evaluates JSONata, not JavaScript).
import type Jsonata from 'jsonata';
import type { z } from 'zod';
import { jsonByteLength } from '../contracts/json-byte-length';
import { WORKFLOW_DEFINITION_LIMITS, workflowDefinitionSchema, type WorkflowDefinition } from './definition-schema';
import { expressionAstProblems } from './expression-ast-problems';
import { formatDocumentPath, stepExpressions, stepReferences } from './step-expressions';
import { WorkflowDefinitionError, type WorkflowDefinitionProblem } from './workflow-definition-error';

let jsonata: typeof Jsonata | undefined;
/**
 * jsonata is loaded when a definition is first validated, not when the contracts are (about
 * 2 MB of RSS in every process that imports them, and only the app and the workflow worker
 * validate definitions).
 */
function jsonataLibrary(): typeof Jsonata {
  jsonata ??= require('jsonata') as typeof Jsonata;
  return jsonata;
}

/**
 * Why `expression` is refused: it does not compile, or its AST holds what
 * `expressionAstProblems` refuses (a regular expression, `$eval`, a read of an unknown step).
 */
function expressionProblems(expression: string, stepIds: ReadonlySet<string>): string[] {
  let ast: unknown;
  try {
    ast = jsonataLibrary()(expression).ast();
  } catch (err) {
    const e = err as { message?: string; position?: number };
    const at = typeof e.position === 'number' ? ` (at character ${e.position})` : '';
    return [`not a valid JSONata expression: ${e.message ?? String(err)}${at}`];
  }
  return expressionAstProblems(ast, stepIds);
}

/** The checks zod cannot make on one step: unique ids, references, exactly one wait, expressions. */
function crossCheck(definition: WorkflowDefinition): WorkflowDefinitionProblem[] {
  const problems: WorkflowDefinitionProblem[] = [];
  const firstIndex = new Map<string, number>();
  definition.steps.forEach((step, i) => {
    const earlier = firstIndex.get(step.id);
    if (earlier === undefined) firstIndex.set(step.id, i);
    else problems.push({ path: `steps[${i}].id`, message: `duplicate step id "${step.id}" (also steps[${earlier}])` });
  });
  const stepIds: ReadonlySet<string> = new Set(firstIndex.keys());
  const missing = (id: string) => `no step "${id}" in this definition`;
  if (definition.start !== undefined && !firstIndex.has(definition.start)) problems.push({ path: 'start', message: missing(definition.start) });
  definition.steps.forEach((step, i) => {
    for (const ref of stepReferences(step)) {
      if (!firstIndex.has(ref.stepId)) problems.push({ path: `steps[${i}].${ref.field}`, message: missing(ref.stepId) });
    }
    if (step.kind === 'wait' && (step.durationMs === undefined) === (step.until === undefined)) {
      problems.push({ path: `steps[${i}]`, message: 'a wait needs exactly one of durationMs and until' });
    }
    for (const { field, expression } of stepExpressions(step)) {
      for (const message of expressionProblems(expression, stepIds)) problems.push({ path: `steps[${i}].${field}`, message });
    }
  });
  return problems;
}

/** A zod issue's message; for a refused record key (`set` paths, header names), why the key was refused. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues.length > 0) return issue.issues.map((inner) => inner.message).join('; ');
  return issue.message;
}

/**
 * Checks a workflow definition document and returns it parsed: the shape (zod,
 * `workflowDefinitionSchema`), then unique step ids, every referenced step id (`start`, `next`,
 * `onError`, `then`, `else`, `onEvent`, `onTimeout`) present, exactly one of `durationMs`/`until`
 * per `wait`, every JSONata expression compiling, with no regular expression literal (ReDoS) nor
 * `$eval`, and reading below `steps` only ids of this definition (`steps.enrich…`; an id with `-`
 * must be back-quoted: ``steps.`wait-reply` ``), `set` paths of at most 16 segments, and at most
 * 1 MiB of JSON in all.
 * @param doc - the document, e.g. a parsed JSON request body.
 * @returns the definition, as given (nothing is filled in; see `WORKFLOW_DEFAULTS`).
 * @throws WorkflowDefinitionError listing every problem with its path, e.g.
 *   `steps[3].then: no step "follow_up" in this definition`,
 *   `steps[1].condition: regular expressions are not allowed in workflow expressions …`.
 */
export function validateWorkflowDefinition(doc: unknown): WorkflowDefinition {
  const parsed = workflowDefinitionSchema.safeParse(doc);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ path: formatDocumentPath(issue.path), message: issueMessage(issue) }));
    throw new WorkflowDefinitionError(problems, { cause: parsed.error });
  }
  const bytes = jsonByteLength(parsed.data);
  if (bytes > WORKFLOW_DEFINITION_LIMITS.MAX_DEFINITION_BYTES) {
    throw new WorkflowDefinitionError([{ path: '(root)', message: `must be at most ${WORKFLOW_DEFINITION_LIMITS.MAX_DEFINITION_BYTES} bytes as JSON (was ${bytes})` }]);
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new WorkflowDefinitionError(problems);
  return parsed.data;
}
