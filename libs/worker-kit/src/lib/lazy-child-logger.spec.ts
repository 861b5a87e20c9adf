import { Writable } from 'node:stream';
import { createLogger } from './create-logger';
import { LazyChildLogger } from './lazy-child-logger';
import type { Logger } from './logger-type';

describe('LazyChildLogger', () => {
  it('builds no child until a line is written, then writes with the bindings through one child', () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const root = createLogger({ level: 'info', destination });
    let children = 0;
    const counting: Logger = {
      ...root,
      trace: root.trace.bind(root),
      debug: root.debug.bind(root),
      info: root.info.bind(root),
      warn: root.warn.bind(root),
      error: root.error.bind(root),
      fatal: root.fatal.bind(root),
      child: (b) => {
        children += 1;
        return root.child(b);
      },
    };
    const log = new LazyChildLogger(counting, { queue: 'seo', jobId: '7', attempt: 1 });
    expect(children).toBe(0);
    log.warn({ reason: 'x' }, 'first');
    log.info('second');
    log.child({ step: 'crawl' }).error('third');
    expect(children).toBe(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ queue: 'seo', jobId: '7', attempt: 1, reason: 'x', msg: 'first', level: 40 });
    expect(lines[1]).toMatchObject({ queue: 'seo', jobId: '7', msg: 'second' });
    expect(lines[2]).toMatchObject({ queue: 'seo', jobId: '7', step: 'crawl', msg: 'third', level: 50 });
  });
});
