import { outcomesOf } from './outcomes-of';

describe('outcomesOf', () => {
  it('matches items by leadId first, else by email (case-insensitive); an error item fails its lead; no item is not_found', () => {
    const outcomes = outcomesOf(
      [{ id: 'a', email: 'Ada@Acme.example' }, { id: 'b', email: 'bob@acme.example' }, { id: 'c', company: 'C' }, { id: 'd', email: 'dee@acme.example' }],
      [
        { email: 'ada@acme.example', jobTitle: 'CTO' },
        { leadId: 'b', email: 'other@acme.example', jobTitle: 'CEO' },
        { leadId: 'd', error: { code: 7 } },
      ],
    );
    expect(outcomes).toEqual([
      { leadId: 'a', status: 'enriched', fields: { email: 'ada@acme.example', jobTitle: 'CTO' } },
      { leadId: 'b', status: 'enriched', fields: { email: 'other@acme.example', jobTitle: 'CEO' } },
      { leadId: 'c', status: 'not_found' },
      { leadId: 'd', status: 'failed', reason: 'the actor reported an error ({"code":7})' },
    ]);
  });
});
