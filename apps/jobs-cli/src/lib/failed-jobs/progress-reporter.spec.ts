import { PassThrough } from 'node:stream';
import { createProgressReporter, PLAIN_PROGRESS_INTERVAL_MS } from './progress-reporter';

function plainTarget() {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { target: { stderr, interactive: false }, lines: () => text.split('\n').filter(Boolean) };
}

describe('createProgressReporter without a terminal', () => {
  it('prints a line per tenth of the total, not per update, and always the last one', async () => {
    const { target, lines } = plainTarget();
    const now = 0;
    const progress = createProgressReporter(target, 'redrive', 1000, () => now);
    for (let done = 20; done <= 1000; done += 20) progress.update(done, 'seo');
    progress.stop();
    await new Promise(setImmediate);
    expect(lines()).toEqual(['redrive: 20/1000 (2%) seo', ...[120, 220, 320, 420, 520, 620, 720, 820, 920].map((n) => `redrive: ${n}/1000 (${n / 10}%) seo`), 'redrive: 1000/1000 (100%) seo']);
  });

  it('prints at most once per interval in between tenths, and the last count on stop', async () => {
    const { target, lines } = plainTarget();
    let now = 0;
    const progress = createProgressReporter(target, 'redrive', 1000, () => now);
    progress.update(1, 'email');
    now += PLAIN_PROGRESS_INTERVAL_MS - 1;
    progress.update(2, 'email');
    now += 1;
    progress.update(3, 'email');
    progress.update(4, 'seo');
    progress.stop();
    await new Promise(setImmediate);
    expect(lines()).toEqual(['redrive: 1/1000 (0%) email', 'redrive: 3/1000 (0%) email', 'redrive: 4/1000 (0%) seo']);
  });
});
