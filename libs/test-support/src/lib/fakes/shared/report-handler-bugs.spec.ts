import { startTestServer, type TestServer } from '../../start-test-server';
import { reportHandlerBugs } from './report-handler-bugs';

describe('reportHandlerBugs', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers a pipeline that throws with 500 naming the server and the error, and logs the request', async () => {
    server = await startTestServer(
      reportHandlerBugs('fake Test server', async () => {
        throw new Error('route table broken');
      }),
    );
    const res = await fetch(server.url('/v1/thing?x=1'));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('fake Test server bug: Error: route table broken');
    expect(server.requests).toEqual(['GET /v1/thing?x=1']);
  });

  it('leaves an answer the pipeline gives alone', async () => {
    server = await startTestServer(reportHandlerBugs('fake Test server', async (_req, res) => void res.writeHead(204).end()));
    expect((await fetch(server.url('/'))).status).toBe(204);
  });
});
