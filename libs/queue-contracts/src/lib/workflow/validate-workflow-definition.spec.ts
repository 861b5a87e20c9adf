import type { WorkflowDefinitionInput } from './definition-schema';
import { validateWorkflowDefinition } from './validate-workflow-definition';
import { WorkflowDefinitionError, type WorkflowDefinitionProblem } from './workflow-definition-error';
import { stepRetryPolicy } from './workflow-defaults';

/** The "new inbound lead" automation, one step of most kinds. */
const inboundLead = (): WorkflowDefinitionInput => ({
  workflowId: 'wf_inbound',
  name: 'New inbound lead',
  steps: [
    { id: 'enrich', kind: 'enrich_lead', input: '{ "leads": [{ "id": context.leadId, "email": context.email }], "batchSize": 1 }' },
    { id: 'is_acme', kind: 'branch', condition: 'steps.enrich.leads[0].company = "Acme"', then: 'draft', else: 'done' },
    { id: 'draft', kind: 'draft_email', input: '{ "threadId": context.threadId, "context": "Follow up", "tone": "professional" }', retry: { attempts: 2 } },
    { id: 'reply', kind: 'wait_for_event', event: 'email_replied', timeoutMs: 2 * 24 * 3600_000, onEvent: 'done', onTimeout: 'call' },
    { id: 'call', kind: 'place_call', input: '{ "callId": run.runId, "phoneNumber": context.phone, "assistantId": "a_1" }', onError: 'done' },
    { id: 'office', kind: 'wait', durationMs: 0, businessHours: { timeZone: 'Europe/Paris', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:30' } },
    { id: 'crm', kind: 'http_request', method: 'POST', url: 'https://crm.example.com/hooks/lead', body: 'context', headers: { 'X-Source': 'workflow' } },
    { id: 'mark', kind: 'set', values: { 'lead.status': '"contacted"', called: 'true' } },
    { id: 'done', kind: 'end', output: '{ "status": context.lead.status }' },
  ],
  limits: { maxExecutedSteps: 50 },
});

/** The problems `doc` is refused with. */
function problemsOf(doc: unknown): readonly WorkflowDefinitionProblem[] {
  try {
    validateWorkflowDefinition(doc);
  } catch (err) {
    if (err instanceof WorkflowDefinitionError) return err.problems;
    throw err;
  }
  throw new Error('the definition was accepted');
}

function withStep(index: number, patch: Record<string, unknown>): WorkflowDefinitionInput {
  const doc = inboundLead();
  doc.steps[index] = { ...doc.steps[index], ...patch } as never;
  return doc;
}

describe('validateWorkflowDefinition', () => {
  it('accepts a definition using every kind, and returns it as given (round trip through JSON)', () => {
    const doc = inboundLead();
    expect(validateWorkflowDefinition(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
  });

  it('refuses a reference to a missing step, naming the step path', () => {
    expect(problemsOf(withStep(1, { then: 'follow_up' }))).toEqual([{ path: 'steps[1].then', message: 'no step "follow_up" in this definition' }]);
    expect(problemsOf({ ...inboundLead(), start: 'nowhere' })).toEqual([{ path: 'start', message: 'no step "nowhere" in this definition' }]);
    expect(problemsOf(withStep(3, { onTimeout: 'x', onError: 'y' })).map((p) => p.path)).toEqual(['steps[3].onError', 'steps[3].onTimeout']);
  });

  it('refuses an expression that does not compile, naming the field', () => {
    const [problem] = problemsOf(withStep(1, { condition: 'steps.enrich.leads[0' }));
    expect(problem.path).toBe('steps[1].condition');
    expect(problem.message).toMatch(/^not a valid JSONata expression: Expected "]" before end of expression/);
    expect(problemsOf(withStep(7, { values: { 'lead.score': '1 +' } }))[0].path).toBe('steps[7].values["lead.score"]');
    expect(problemsOf(withStep(6, { url: '"https://crm.example.com/" &' }))[0].path).toBe('steps[6].url');
  });

  it('refuses a regular expression literal anywhere in an expression (ReDoS), naming the step path', () => {
    const redos = 'regular expressions are not allowed in workflow expressions (one can block the worker: ReDoS); use $contains / $substring / string functions';
    expect(problemsOf(withStep(1, { condition: '$match(context.x, /(a+)+$/)' }))).toEqual([{ path: 'steps[1].condition', message: redos }]);
    expect(problemsOf(withStep(7, { values: { 'lead.domain': '$replace(context.email, /^.*@/, "")' } }))).toEqual([{ path: 'steps[7].values["lead.domain"]', message: redos }]);
    // Nested in a lambda, a predicate and an object constructor: still found, once per field.
    const nested = '{ "a": $map(context.items[$contains(name, /x/i)], function($v) { $split($v, /,/) }) }';
    expect(problemsOf(withStep(8, { output: nested }))).toEqual([{ path: 'steps[8].output', message: redos }]);
    for (const condition of ['context.x ~> $replace(/a/, "b")', '$split(context.x, /a/)[0]', '$match(?, /a/)', 'context.items[$contains(name, /a/)].x', 'context.x.%.y[$match($string(z), /a/)]']) {
      expect(problemsOf(withStep(1, { condition }))).toEqual([{ path: 'steps[1].condition', message: redos }]);
    }
    // String functions with plain strings are fine.
    expect(() => validateWorkflowDefinition(withStep(1, { condition: '$contains(context.email, "@acme.com") and $substring(context.x, 0, 3) = "abc"' }))).not.toThrow();
  });

  it('refuses $eval, which would compile a string the check never sees', () => {
    expect(problemsOf(withStep(1, { condition: '$eval("$match(context.x, /(a+)+$/)")' }))).toEqual([
      { path: 'steps[1].condition', message: '$eval is not allowed in workflow expressions (the expression it builds is never checked)' },
    ]);
  });

  it('refuses a read of an unknown step below root steps, naming the path; an unquoted id with - reads the part before it', () => {
    const unknown = (id: string) => `expression reads steps.${id}, but there is no step ${id}; a step id with '-' must be quoted: steps.\`wait-reply\``;
    expect(problemsOf(withStep(1, { condition: 'steps.enrihc.leads[0].company = "Acme"' }))).toEqual([{ path: 'steps[1].condition', message: unknown('enrihc') }]);
    // In a function's argument, a lambda's body or after ~>, the input is still the root.
    const inside = '$exists(steps.nowhere) or context.x ~> $map(function($v) { steps.elsewhere })';
    expect(problemsOf(withStep(1, { condition: inside })).map((p) => p.message).sort()).toEqual([unknown('elsewhere'), unknown('nowhere')]);
    const doc = inboundLead();
    doc.steps[3] = { ...doc.steps[3], id: 'wait-reply' } as never;
    doc.steps[1] = { ...doc.steps[1], condition: 'steps.wait-reply.received' } as never;
    expect(problemsOf(doc)).toEqual([{ path: 'steps[1].condition', message: unknown('wait') }]);
    doc.steps[1] = { ...inboundLead().steps[1], condition: 'steps.`wait-reply`.received and $exists(steps.enrich)' } as never;
    expect(validateWorkflowDefinition(doc).steps[1]).toMatchObject({ condition: 'steps.`wait-reply`.received and $exists(steps.enrich)' });
  });

  it('looks only at paths that start at root steps: not $steps, x.steps, or steps inside a predicate or a later path step', () => {
    const fine = [
      '$steps.nowhere',
      'context.steps.nowhere',
      'context.items[steps.nowhere = 1]',
      'context.items.(steps.nowhere)',
      '($steps := {"a": 1}; $steps.a)',
      'steps',
      'steps[0]',
      '$keys(steps)',
      '(steps).enrich',
    ];
    for (const condition of fine) expect(() => validateWorkflowDefinition(withStep(1, { condition: `${condition} or true` }))).not.toThrow();
  });

  it('refuses a set path deeper than 16 segments, naming it', () => {
    const deep = Array.from({ length: 17 }, (_, i) => `s${i}`).join('.');
    expect(problemsOf(withStep(7, { values: { [deep]: '1' } }))).toEqual([
      { path: `steps[7].values["${deep}"]`, message: "must have at most 16 segments (the run record's JSON depth is bounded)" },
    ]);
    const sixteen = Array.from({ length: 16 }, (_, i) => `s${i}`).join('.');
    expect(() => validateWorkflowDefinition(withStep(7, { values: { [sixteen]: '1' } }))).not.toThrow();
  });

  it('refuses a duplicate step id, naming both', () => {
    expect(problemsOf(withStep(4, { id: 'draft' }))).toContainEqual({ path: 'steps[4].id', message: 'duplicate step id "draft" (also steps[2])' });
  });

  it('refuses bad business hours: time zone, order, days', () => {
    const hours = { timeZone: 'Europe/Pariss', days: [1, 8], start: '18:00', end: '09:00' };
    expect(problemsOf(withStep(5, { businessHours: hours }))).toEqual([
      { path: 'steps[5].businessHours.timeZone', message: 'must be an IANA time zone, e.g. Europe/Paris' },
      { path: 'steps[5].businessHours.days[1]', message: expect.stringMatching(/<=7/) },
      { path: 'steps[5].businessHours.end', message: 'must be after start' },
    ]);
    expect(problemsOf(withStep(5, { businessHours: { ...hours, timeZone: 'UTC', days: [1] } }))).toEqual([
      { path: 'steps[5].businessHours.end', message: 'must be after start' },
    ]);
  });

  it('refuses a wait with both or neither of durationMs and until', () => {
    expect(problemsOf(withStep(5, { until: 'context.at' }))).toEqual([{ path: 'steps[5]', message: 'a wait needs exactly one of durationMs and until' }]);
    const neither = inboundLead();
    neither.steps[5] = { id: 'office', kind: 'wait' };
    expect(problemsOf(neither)).toEqual([{ path: 'steps[5]', message: 'a wait needs exactly one of durationMs and until' }]);
  });

  it('refuses shape problems with their paths: unknown kind, unknown field, bad ids, reserved header, polluting path', () => {
    expect(problemsOf(withStep(0, { kind: 'send_fax' }))[0].path).toBe('steps[0].kind');
    expect(problemsOf(withStep(0, { colour: 'red' }))[0]).toEqual({ path: 'steps[0]', message: expect.stringMatching(/colour/) });
    expect(problemsOf(withStep(0, { id: 'has space' }))[0].path).toBe('steps[0].id');
    expect(problemsOf(withStep(6, { headers: { 'Idempotency-Key': 'x' } }))[0].path).toBe('steps[6].headers');
    expect(problemsOf(withStep(6, { headers: { 'X-Note': 'a\r\nX-Injected: 1' } }))).toEqual([{ path: 'steps[6].headers["X-Note"]', message: 'must not hold control characters' }]);
    expect(problemsOf(withStep(7, { values: { '__proto__.polluted': 'true' } }))[0].path).toBe('steps[7].values["__proto__.polluted"]');
    expect(problemsOf({ ...inboundLead(), steps: [] })[0].path).toBe('steps');
    expect(problemsOf('not an object')[0].path).toBe('(root)');
  });

  it('says the first problems in its message', () => {
    expect(() => validateWorkflowDefinition(withStep(1, { then: 'a', else: 'b' }))).toThrow(
      'Invalid workflow definition: steps[1].then: no step "a" in this definition; steps[1].else: no step "b" in this definition',
    );
  });
});

describe('stepRetryPolicy', () => {
  it('gives pure steps 1 attempt and calling steps 3, backoff doubling from 1 s up to 1 h', () => {
    const [enrich, branch, draft] = validateWorkflowDefinition(inboundLead()).steps;
    expect(stepRetryPolicy(enrich).attempts).toBe(3);
    expect(stepRetryPolicy(branch).attempts).toBe(1);
    expect(stepRetryPolicy(draft).attempts).toBe(2);
    const backoff = stepRetryPolicy(enrich).backoffMs;
    expect([1, 2, 3, 20].map(backoff)).toEqual([1000, 2000, 4000, 3_600_000]);
  });
});
