import {
  addWorkflowExecutionJob,
  closeQueues,
  configureProducers,
  deriveWorkflowRunId,
  getWorkflowRun,
  saveWorkflowDefinition,
  signalWorkflowRun,
  type WorkflowRunRecord,
} from '@jobs/queue-contracts';
import { deletePrefix, waitFor } from '@jobs/test-support';
import { startDemoWorker, unlessWorkerDies, type DemoContext } from './demo-context';
import { describeRunStep } from './describe-run-step';
import { GMAIL_ACCOUNT, startEmailStack } from './start-email-stack';
import { startEnrichmentStack } from './start-enrichment-stack';
import { startVoiceStack } from './start-voice-stack';
import { DEMO_REPLY_TIMEOUT_MS, DEMO_WORKFLOW_DEFINITION, DEMO_WORKFLOW_ID } from './workflow-demo-definition';

/** The two inbound leads: A answers the drafted email, B does not and gets a call. */
const LEADS = [
  { label: 'lead A', leadId: 'lead-a', name: 'Ann Lee', email: 'ann.lee@acme.example', phone: '+1 415 555 0142', replies: true },
  { label: 'lead B', leadId: 'lead-b', name: 'Jordan Kim', email: 'jordan.kim@globex.example', phone: '+1 212 555 0199', replies: false },
] as const;

/** One run of the demo as the timeline follows it. */
interface DemoRun {
  readonly lead: (typeof LEADS)[number];
  readonly runId: string;
  /** The line last printed for each step entry. */
  readonly printed: string[];
  record: WorkflowRunRecord | null;
  signalled: boolean;
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);
/** How often the timeline reads the runs, ms. */
const POLL_MS = 300;
/** A ceiling against a hang, not a speed check. */
const RUNS_CEILING_MS = 180_000;

/**
 * The workflow part: the enrichment, email and voice workers (shared with their own parts when
 * those ran) and the workflow worker, each its own process; the "new inbound lead" automation
 * saved through `saveWorkflowDefinition`; two runs started as the app starts them
 * (`addWorkflowExecutionJob` with a trigger id); `email_replied` sent through `signalWorkflowRun`
 * to lead A's run once its reply is drafted, never to lead B's; a live timeline of both runs read
 * with `getWorkflowRun` every 300 ms; then each run's final status and output.
 * @throws Error when a worker dies or the runs do not end within 3 min.
 */
export async function runWorkflowDemo(ctx: DemoContext): Promise<void> {
  // The module-level API, as the web app uses it, pointed at this run's Redis and prefix.
  await configureProducers({ redis: ctx.redisSettings, prefix: ctx.prefix });
  ctx.onCleanup(() => closeQueues());
  // On the user's Redis, every key of this run goes once the workers it starts have stopped
  // (clean-up runs in reverse; with the other parts run first, their own clean-up sweeps again).
  if (ctx.externalRedis) ctx.onCleanup(async () => void (await deletePrefix(ctx.redisUrl, ctx.prefix)));
  const enrichment = await startEnrichmentStack(ctx);
  const email = await startEmailStack(ctx);
  const voice = await startVoiceStack(ctx);
  const worker = await startDemoWorker(ctx, 'workflow-worker', 'apps/workflow-worker/src/main.ts', { SHUTDOWN_TIMEOUT_MS: '3000' });

  const saved = await saveWorkflowDefinition(DEMO_WORKFLOW_DEFINITION);
  ctx.say(`saved definition "${DEMO_WORKFLOW_ID}" version ${saved.version}: ${DEMO_WORKFLOW_DEFINITION.steps.map((s) => s.id).join(', ')}`);
  ctx.say(`  enrich -> branch on the company -> draft a reply -> wait ${DEMO_REPLY_TIMEOUT_MS / 1000} s for email_replied -> else call`);

  const runs: DemoRun[] = [];
  for (const lead of LEADS) {
    const threadId = email.gmailBox.addMessage(
      Buffer.from(
        `From: ${lead.name} <${lead.email}>\r\nTo: ${GMAIL_ACCOUNT}\r\nSubject: Pricing for our sales team\r\n` +
          `Date: ${new Date().toUTCString()}\r\nMessage-ID: <demo-${lead.leadId}-${Date.now()}@demo.example>\r\n` +
          'Content-Type: text/plain; charset=utf-8\r\n\r\nHello, could you tell us more about your plans for a team of 20?\r\n',
      ),
    ).threadId;
    const triggerId = `inbound-${lead.leadId}-${ctx.prefix}`;
    const data = {
      userId: 'demo-user',
      workflowId: DEMO_WORKFLOW_ID,
      triggerId,
      context: { leadId: lead.leadId, email: lead.email, phone: lead.phone, accountId: GMAIL_ACCOUNT, threadId },
    };
    const job = await addWorkflowExecutionJob(data);
    const runId = deriveWorkflowRunId(DEMO_WORKFLOW_ID, triggerId);
    ctx.say(`${short(runId)} ${lead.label}: ${lead.email} wrote in (thread ${threadId}); run started, job ${job.id}`);
    runs.push({ lead, runId, printed: [], record: null, signalled: false });
  }
  // The same trigger delivered twice starts no second run.
  const again = await addWorkflowExecutionJob({ userId: 'demo-user', workflowId: DEMO_WORKFLOW_ID, triggerId: `inbound-lead-a-${ctx.prefix}`, context: {} });
  ctx.say(`the same trigger for lead A again: ${again.alreadyExisted ? 'the same job, no second run' : 'a second job (unexpected)'}`);

  const watch = async () => {
    for (const run of runs) {
      const record = await getWorkflowRun(run.runId);
      if (!record) continue;
      run.record = record;
      record.steps.forEach((step, i) => {
        const line = describeRunStep(step);
        if (run.printed[i] === line) return;
        run.printed[i] = line;
        ctx.say(`${short(run.runId)} ${run.lead.label}  ${line}`);
      });
      // The lead answers once the reply is drafted. A signal sent before the run reaches its
      // wait_for_event counts too, so a slow poll cannot miss the wait.
      const drafted = record.steps.some((step) => step.stepId === 'draft_reply' && step.status === 'completed');
      if (run.lead.replies && !run.signalled && drafted) {
        run.signalled = true;
        const payload = { from: run.lead.email, snippet: 'Sounds good, send me a proposal.' };
        const { delivered } = await signalWorkflowRun(run.runId, 'email_replied', payload);
        ctx.say(`${short(run.runId)} ${run.lead.label}  the app saw a reply: signalWorkflowRun(email_replied) ${delivered ? 'delivered' : 'already delivered'}`);
      }
    }
    return runs.every((r) => r.record && ENDED.has(r.record.status));
  };
  const done = waitFor('both workflow runs to end', watch, { timeoutMs: RUNS_CEILING_MS, intervalMs: POLL_MS });
  await unlessWorkerDies(worker, 'workflow-worker', done);

  for (const run of runs) {
    const r = run.record as WorkflowRunRecord;
    const path = r.steps.map((s) => s.stepId).join(' -> ');
    ctx.say(`${short(run.runId)} ${run.lead.label}: ${r.status} in ${r.executedSteps} steps (${path}), output ${JSON.stringify(r.output ?? null)}`);
  }
  const drafts = LEADS.map((lead) => email.gmailBox.listDrafts().filter((d) => runs.find((r) => r.lead === lead)?.record?.context['threadId'] === d.message.threadId).length);
  const calls = LEADS.map((lead) => voice.vapi.calls.filter((c) => (c.assistantOverrides as { metadata?: { callId?: string } } | undefined)?.metadata?.callId === `call-${lead.leadId}`).length);
  const actorRuns = LEADS.map((lead) => enrichment.apify.runs.filter((r) => ((r.input as { leads?: { id?: string }[] } | null)?.leads ?? []).some((l) => l.id === lead.leadId)).length);
  ctx.say(`side effects: Apify runs ${actorRuns.join(' / ')}, Gmail drafts ${drafts.join(' / ')}, Vapi calls ${calls.join(' / ')} (lead A / lead B)`);
  ctx.say('');
}

/** `run_` and the first 8 hex digits of a run id: enough to tell the demo's runs apart. */
function short(runId: string): string {
  return `${runId.slice(0, 12)}…`;
}
