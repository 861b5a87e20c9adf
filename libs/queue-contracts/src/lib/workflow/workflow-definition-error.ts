/** One reason a workflow definition is refused: where (`steps[3].then`) and why. */
export interface WorkflowDefinitionProblem {
  /** Path in the document, e.g. `steps[3].then`, `steps[2].values["lead.score"]`, `start`; `(root)` for the whole. */
  readonly path: string;
  /** Why, e.g. `no step "follow_up" in this definition`. */
  readonly message: string;
}

/** How many problems the message quotes before `(and N more)`. */
const QUOTED = 3;

/**
 * A workflow definition that cannot be saved (or a stored one that no longer validates):
 * unrecoverable, fix the document. `problems` lists every problem found; the message quotes the
 * first three, e.g. `Invalid workflow definition: steps[3].then: no step "x" in this definition`.
 */
export class WorkflowDefinitionError extends Error {
  override readonly name = 'WorkflowDefinitionError';
  /** Every problem, in document order (shape problems first, then cross-checks). */
  readonly problems: readonly WorkflowDefinitionProblem[];

  constructor(problems: readonly WorkflowDefinitionProblem[], options?: ErrorOptions) {
    const quoted = problems.slice(0, QUOTED).map((p) => `${p.path}: ${p.message}`);
    const more = problems.length > QUOTED ? ` (and ${problems.length - QUOTED} more)` : '';
    super(`Invalid workflow definition: ${quoted.join('; ')}${more}`, options);
    this.problems = Object.freeze([...problems]);
  }
}
