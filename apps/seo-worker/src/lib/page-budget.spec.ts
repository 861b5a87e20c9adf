import { PageBudget } from './page-budget';

describe('PageBudget', () => {
  it('hands out slots up to the cap, waits on fetches in flight, and frees non-pages', async () => {
    const budget = new PageBudget(2);
    expect(await budget.reserve()).toBe(true);
    expect(await budget.reserve()).toBe(true);
    let third: boolean | undefined;
    const waiting = budget.reserve().then((r) => (third = r));
    await Promise.resolve();
    expect(third).toBeUndefined(); // both slots may still become pages
    budget.settle(false); // the first fetch was not a page: its slot is free again
    await waiting;
    expect(third).toBe(true);
    budget.settle(true);
    budget.settle(true);
    expect(budget.pagesRecorded).toBe(2);
    expect(await budget.reserve()).toBe(false);
  });
});
