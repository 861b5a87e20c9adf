/** The fields of a JSONata AST node read here (jsonata's own `ExprNode` type lacks `path` and calls `regex` `regexp`). */
interface AstNode {
  readonly type?: string;
  readonly value?: unknown;
  readonly steps?: unknown;
  readonly stages?: unknown;
  readonly predicate?: unknown;
}

/** Keys of an AST node whose sub-expressions are evaluated against another input than the node's own. */
const RELATIVE_KEYS = new Set(['stages', 'predicate', 'group', 'terms', 'pattern', 'update', 'delete']);

/** One node still to look at, and whether its input is the expression's root (`{ context, steps, run }`). */
interface Pending {
  readonly node: unknown;
  readonly atRoot: boolean;
}

/** The name a path node reads below root `steps` (`steps.enrich…` → `enrich`), if it is one. */
function stepIdRead(node: AstNode): string | undefined {
  if (node.type !== 'path' || !Array.isArray(node.steps)) return undefined;
  const [first, second] = node.steps as (AstNode | undefined)[];
  if (first?.type !== 'name' || first.value !== 'steps' || first.stages || first.predicate) return undefined;
  return second?.type === 'name' && typeof second.value === 'string' ? second.value : undefined;
}

/**
 * What is wrong with one compiled JSONata expression of a workflow definition, read from its
 * AST (`jsonata(expression).ast()`):
 * - a regular expression literal (`/(a+)+$/`): JSONata runs it synchronously, and a catastrophic
 *   pattern can block the worker for minutes (ReDoS) — the evaluation time limit cannot interrupt
 *   one RegExp call;
 * - `$eval`: it would compile a string (perhaps built from run data) into an expression that
 *   this check never sees, regular expressions included;
 * - a path whose first step is the name `steps` (evaluated against the root, not inside a
 *   predicate, a group or a later path step) reading a name that is not in `stepIds`: a typo
 *   (`steps.enrihc`), or an unquoted id with `-` (`steps.wait-reply.x` reads `steps.wait`
 *   minus `reply.x`).
 * @param ast - the root node of the expression's AST.
 * @param stepIds - the ids of the definition's steps.
 * @returns the problems' messages, each once; `[]` when there are none.
 */
export function expressionAstProblems(ast: unknown, stepIds: ReadonlySet<string>): string[] {
  const problems = new Set<string>();
  // A node shared by two places is looked at once per kind of input (at the root it is checked more).
  const seenAtRoot = new Set<object>();
  const seenBelow = new Set<object>();
  const pending: Pending[] = [{ node: ast, atRoot: true }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { node, atRoot } = item;
    if (typeof node !== 'object' || node === null || seenAtRoot.has(node)) continue;
    if (!atRoot && seenBelow.has(node)) continue;
    (atRoot ? seenAtRoot : seenBelow).add(node);
    if (Array.isArray(node)) {
      for (const child of node) pending.push({ node: child, atRoot });
      continue;
    }
    const expr = node as AstNode;
    if (expr.type === 'regex') {
      problems.add('regular expressions are not allowed in workflow expressions (one can block the worker: ReDoS); use $contains / $substring / string functions');
      continue;
    }
    if (expr.type === 'variable' && expr.value === 'eval') problems.add('$eval is not allowed in workflow expressions (the expression it builds is never checked)');
    const id = atRoot ? stepIdRead(expr) : undefined;
    if (id !== undefined && !stepIds.has(id)) {
      problems.add(`expression reads steps.${id}, but there is no step ${id}; a step id with '-' must be quoted: steps.\`wait-reply\``);
    }
    for (const [key, value] of Object.entries(expr)) {
      if (key === 'steps' && expr.type === 'path' && Array.isArray(value)) {
        // The first step reads the path's input; every later step reads the one before's output.
        value.forEach((step, i) => pending.push({ node: step, atRoot: atRoot && i === 0 }));
      } else {
        pending.push({ node: value, atRoot: atRoot && !RELATIVE_KEYS.has(key) });
      }
    }
  }
  return [...problems];
}
