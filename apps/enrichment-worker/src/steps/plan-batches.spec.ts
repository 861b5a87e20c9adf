import { planBatches } from './plan-batches';

describe('planBatches', () => {
  it('cuts the valid leads into batches in job order and keeps the rejected ones aside', () => {
    const { batches, rejected } = planBatches(
      [{ id: 'a', email: 'a@x.example' }, { id: 'b' }, { id: 'c', company: 'C' }, { id: 'd', phone: '+14155550123' }, { id: 'e', email: 'e@x.example' }],
      2,
    );
    expect(batches.map((b) => b.map((l) => l.id))).toEqual([['a', 'c'], ['d', 'e']]);
    expect(rejected.map((r) => r.leadId)).toEqual(['b']);
  });

  it('plans no batch when every lead is rejected', () => {
    expect(planBatches([{ id: 'a' }], 5).batches).toEqual([]);
  });
});
