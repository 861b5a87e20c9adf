import { jsonLineSink } from '@jobs/test-support';
import { createLogger } from './create-logger';
import { Releasers } from './releasers';

describe('Releasers', () => {
  const setup = () => {
    const sink = jsonLineSink();
    return { sink, releasers: new Releasers(createLogger({ level: 'debug', destination: sink.destination })) };
  };

  it('releases newest first, runs every releaser when some fail, and rejects with the first error', async () => {
    const { sink, releasers } = setup();
    const order: string[] = [];
    // Released newest first, so the server's error is the first one thrown.
    const first = new Error('server close failed');
    releasers.add('redis', () => void order.push('redis'));
    releasers.add('queue', async () => {
      order.push('queue');
      throw new Error('queue close failed');
    });
    releasers.add('server', () => {
      order.push('server');
      throw first;
    });
    releasers.add('worker', async () => void order.push('worker'));

    await expect(releasers.release()).rejects.toBe(first);
    expect(order).toEqual(['worker', 'server', 'queue', 'redis']);
    expect(sink.lines.filter((l) => l['msg'] === 'releasing failed').map((l) => l['resource'])).toEqual(['server', 'queue']);
  });

  it('is idempotent, and releases at once what is added after release started', async () => {
    const { releasers } = setup();
    let runs = 0;
    releasers.add('once', () => void (runs += 1));
    const a = releasers.release();
    expect(releasers.release()).toBe(a);
    await a;
    expect(runs).toBe(1);
    let late = false;
    releasers.add('late', () => void (late = true));
    await new Promise((r) => setImmediate(r));
    expect(late).toBe(true);
    expect(releasers.size).toBe(0);
  });
});
