import { BenchCleanup } from './bench-cleanup';

describe('BenchCleanup', () => {
  it('releases newest first, each once, and keeps going past a release that throws', async () => {
    const cleanup = new BenchCleanup();
    const order: string[] = [];
    cleanup.add('cluster', () => {
      order.push('cluster');
    });
    cleanup.add('redis', () => {
      throw new Error('gone');
    });
    cleanup.add('worker', async () => {
      order.push('worker');
    });
    const errors = await cleanup.releaseAll();
    expect(order).toEqual(['worker', 'cluster']);
    expect(errors.map((e) => e.message)).toEqual(['stopping redis failed: gone']);
    expect(await cleanup.releaseAll()).toBe(errors);
    expect(order).toEqual(['worker', 'cluster']);
  });

  it('does not release what was forgotten (stopped by its owner), and runs one added while releasing', async () => {
    const cleanup = new BenchCleanup();
    const order: string[] = [];
    const forget = cleanup.add('stopped already', () => {
      order.push('stopped already');
    });
    cleanup.add('cluster', () => {
      order.push('cluster');
    });
    forget();
    forget();
    const releasing = cleanup.releaseAll();
    cleanup.add('late worker', () => {
      order.push('late worker');
    });
    await releasing;
    expect(await cleanup.whenReleased()).toEqual([]);
    expect(order).toEqual(['cluster', 'late worker']);
  });

  it('is not interrupted until a signal came', () => {
    expect(new BenchCleanup().interruptedBy).toBeUndefined();
  });
});
