import type { WorkflowDefinitionInput } from '@jobs/queue-contracts';

/** The workflow id of the demo's automation. */
export const DEMO_WORKFLOW_ID = 'new-inbound-lead';

/** How long the demo waits for a reply before calling, ms (a real automation would wait days). */
export const DEMO_REPLY_TIMEOUT_MS = 6000;

/**
 * The demo's "new inbound lead" automation: enrich the lead (Apify, through the enrichment
 * worker), branch on whether a company was found, draft a reply in the lead's thread (through the
 * email worker), wait for `email_replied` at most {@link DEMO_REPLY_TIMEOUT_MS}, and on timeout
 * call the lead (through the voice worker). Each path ends with its own `end` step, so the run's
 * output says which way it went. The trigger's `context` carries `leadId`, `email`, `phone`,
 * `accountId` (the mailbox) and `threadId` (the lead's message).
 */
export const DEMO_WORKFLOW_DEFINITION: WorkflowDefinitionInput = {
  workflowId: DEMO_WORKFLOW_ID,
  name: 'New inbound lead',
  description: 'Enrich, draft a reply, wait for an answer, else call.',
  steps: [
    { id: 'enrich', kind: 'enrich_lead', input: '{ "leads": [{ "id": context.leadId, "email": context.email }], "batchSize": 1 }' },
    { id: 'known_company', kind: 'branch', condition: '$exists(steps.enrich.outcomes[0].fields.company)', then: 'draft_reply', else: 'not_found' },
    {
      id: 'draft_reply',
      kind: 'draft_email',
      input:
        '{ "accountId": context.accountId, "emailProvider": "gmail", "threadId": context.threadId, "tone": "friendly",' +
        ' "context": "Thank " & steps.enrich.outcomes[0].fields.fullName & " of " & steps.enrich.outcomes[0].fields.company & " and offer a demo call next week." }',
    },
    { id: 'wait_reply', kind: 'wait_for_event', event: 'email_replied', timeoutMs: DEMO_REPLY_TIMEOUT_MS, onEvent: 'replied', onTimeout: 'call' },
    {
      id: 'call',
      kind: 'place_call',
      input: '{ "callId": "call-" & context.leadId, "phoneNumber": context.phone, "assistantId": "assistant-demo", "metadata": { "leadId": context.leadId } }',
    },
    { id: 'called', kind: 'end', output: '{ "outcome": "called", "call": steps.call.status & ", " & steps.call.endedReason }' },
    { id: 'replied', kind: 'end', output: '{ "outcome": "replied", "reply": steps.wait_reply.payload }' },
    { id: 'not_found', kind: 'end', output: '{ "outcome": "not enriched" }' },
  ],
};
