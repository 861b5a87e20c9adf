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
