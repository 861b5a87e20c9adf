import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTestServer, type TestServer } from '@jobs/test-support';
import { startWorkflowHarness, type WorkflowHarness } from '../../test-support/workflow-harness';

// The real step kind, wired by the app as main.ts wires it, driven by the engine on real Redis
// against a real loopback server: retries, Idempotency-Key across attempts, onError, the setting.
describe('http_request through the workflow engine', () => {
  let h: WorkflowHarness;
  let server: TestServer;
  let keys: string[];
  let answer: (req: IncomingMessage, res: ServerResponse, n: number) => void;

  beforeEach(async () => {
    keys = [];
    server = await startTestServer((req, res) => {
      req.resume();
      req.on('end', () => {
        keys.push(String(req.headers['idempotency-key']));
        answer(req, res, keys.length);
      });
    });
  });
  afterEach(async () => {
    await h?.close();
    await server.close();
  });

  const flow = (url: string) => ({
    workflowId: 'crm',
    steps: [
      { id: 'hook', kind: 'http_request' as const, method: 'POST' as const, url, body: '{ "lead": context.leadId }', retry: { attempts: 3, backoffMs: 100 }, onError: 'fallback' },
      { id: 'done', kind: 'end' as const, output: '{ "crmId": steps.hook.body.id }' },
      { id: 'fallback', kind: 'end' as const, status: 'failed' as const, output: '{ "error": "crm unreachable" }' },
    ],
  });

  it('a 429 with Retry-After is retried after the wait with the same Idempotency-Key, then completes', async () => {
    h = await startWorkflowHarness({ WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS: 'true' });
    answer = (_req, res, n) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"crm-9"}');
    };
    await h.save(flow(server.url('/leads')));
    h.startWorker();
    const { runId } = await h.trigger('crm', 't1', { leadId: 'lead-1' });
    const run = await h.waitForRun(runId);
    expect(run.status).toBe('completed');
    expect(run.output).toEqual({ crmId: 'crm-9' });
    expect(run.steps[0]).toMatchObject({ stepId: 'hook', status: 'completed', attempts: 2 });
    expect(keys).toEqual([`${runId}:hook`, `${runId}:hook`]);
  });

  it('a 4xx is not retried: the step fails at once and takes onError', async () => {
    h = await startWorkflowHarness({ WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS: 'true' });
    answer = (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no such lead');
    await h.save(flow(server.url('/leads')));
    h.startWorker();
    const { runId } = await h.trigger('crm', 't1', { leadId: 'lead-1' });
    const run = await h.waitForRun(runId);
    expect(run.steps.map((s) => [s.stepId, s.status, s.attempts])).toEqual([
      ['hook', 'failed', 1],
      ['fallback', 'completed', 1],
    ]);
    expect(run.steps[0]?.error).toMatch(/answered HTTP 404: no such lead/);
    expect(keys).toHaveLength(1);
  });

  it('with WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS off (the default) a loopback URL is refused without a request, naming the setting', async () => {
    h = await startWorkflowHarness();
    answer = (_req, res) => res.end('reached');
    await h.save(flow(server.url('/leads')));
    h.startWorker();
    const { runId } = await h.trigger('crm', 't1', { leadId: 'lead-1' });
    const run = await h.waitForRun(runId);
    expect(run.steps[0]).toMatchObject({ stepId: 'hook', status: 'failed', attempts: 1 });
    expect(run.steps[0]?.error).toMatch(/loopback.*WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS=true/);
    expect(run.steps[1]?.stepId).toBe('fallback');
    expect(keys).toEqual([]);
  });
});
