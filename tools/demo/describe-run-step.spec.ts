import type { WorkflowRunStep } from '@jobs/queue-contracts';
import { describeRunStep } from './describe-run-step';

const entry = (over: Partial<WorkflowRunStep>): WorkflowRunStep => ({ stepId: 's', kind: 'set', status: 'completed', attempts: 1, startedAt: 0, ...over });

describe('describeRunStep', () => {
  it('says what matters of each completed kind', () => {
    expect(
      describeRunStep(entry({ stepId: 'enrich', kind: 'enrich_lead', output: { outcomes: [{ leadId: 'a', status: 'enriched', fields: { fullName: 'Ann Lee', jobTitle: 'CTO', company: 'Acme' } }] } })),
    ).toBe('enrich completed (Ann Lee, CTO at Acme)');
    expect(describeRunStep(entry({ stepId: 'enrich', kind: 'enrich_lead', output: { outcomes: [{ leadId: 'a', status: 'not_found' }] } }))).toBe('enrich completed (not found)');
    expect(describeRunStep(entry({ stepId: 'known', kind: 'branch', output: { result: false }, nextStepId: 'give_up' }))).toBe('known completed (false -> give_up)');
    expect(describeRunStep(entry({ stepId: 'draft', kind: 'draft_email', output: { draftId: 'r-1' } }))).toBe('draft completed (draft r-1 saved, not sent)');
    expect(describeRunStep(entry({ stepId: 'w', kind: 'wait_for_event', output: { received: true }, nextStepId: 'replied' }))).toBe('w completed (event received -> replied)');
    expect(describeRunStep(entry({ stepId: 'w', kind: 'wait_for_event', output: { received: false } }))).toBe('w completed (timed out -> end)');
    expect(describeRunStep(entry({ stepId: 'call', kind: 'place_call', output: { status: 'ended', endedReason: 'customer-busy' } }))).toBe('call completed (call ended, customer-busy)');
    expect(describeRunStep(entry({ stepId: 'done', kind: 'end', output: { outcome: 'called' } }))).toBe('done completed ({"outcome":"called"})');
    expect(describeRunStep(entry({ stepId: 'score', kind: 'set', output: { 'lead.score': 70 } }))).toBe('score completed');
  });

  it('names what a waiting step waits for, and why a step failed', () => {
    expect(describeRunStep(entry({ stepId: 'call', kind: 'place_call', status: 'waiting', childJob: { queue: 'voice', jobId: 'wf-run_1-call-1' } }))).toBe(
      'call waiting (job wf-run_1-call-1 on voice; no worker slot held)',
    );
    expect(describeRunStep(entry({ stepId: 'w', kind: 'wait_for_event', status: 'waiting', waitUntil: Date.UTC(2026, 10, 30, 9, 5, 7) }))).toBe(
      'w waiting (for its event, at most until 09:05:07 UTC; no worker slot held)',
    );
    expect(describeRunStep(entry({ stepId: 'p', kind: 'wait', status: 'waiting', waitUntil: Date.UTC(2026, 10, 30, 9, 5, 7) }))).toBe('p waiting (until 09:05:07 UTC; no worker slot held)');
    expect(describeRunStep(entry({ stepId: 'hook', kind: 'http_request', status: 'failed', error: 'POST https://crm.example/hooks answered 404' }))).toBe(
      'hook failed (POST https://crm.example/hooks answered 404)',
    );
    expect(describeRunStep(entry({ stepId: 'enrich', kind: 'enrich_lead', status: 'running' }))).toBe('enrich running');
  });
});
