import { validateLeads } from './validate-leads';

describe('validateLeads', () => {
  it('rejects a lead with no email, company or phone, and a repeated id, naming them; the rest go on', () => {
    const { valid, rejected } = validateLeads([
      { id: 'a', email: 'jane@acme.example' },
      { id: 'b' },
      { id: 'c', company: '  ' },
      { id: 'd', phone: '+14155550123' },
      { id: 'a', company: 'Acme' },
    ]);
    expect(valid.map((l) => l.id)).toEqual(['a', 'd']);
    expect(rejected).toEqual([
      { leadId: 'b', status: 'rejected', reason: 'leads[1]: needs at least one of email, company or phone' },
      { leadId: 'c', status: 'rejected', reason: 'leads[2]: needs at least one of email, company or phone' },
      { leadId: 'a', status: 'rejected', reason: 'leads[4].id: "a" is given to an earlier lead too' },
    ]);
  });

  it('gives each rejected lead its own reason, in order', () => {
    const { rejected } = validateLeads([{ id: 'h' }, { id: 'h', email: 'h@acme.example' }]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'leads[0]: needs at least one of email, company or phone',
      'leads[1].id: "h" is given to an earlier lead too',
    ]);
  });
});
