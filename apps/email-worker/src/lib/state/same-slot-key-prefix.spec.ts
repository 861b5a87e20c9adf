import { sameSlotKeyPrefix } from './same-slot-key-prefix';

// The slots themselves are checked against a real cluster's CLUSTER KEYSLOT in
// email-worker.cluster.spec.ts; this is the rule's table.
describe('sameSlotKeyPrefix', () => {
  it.each([
    ['email:messages:gmail', '{email:messages:gmail}'],
    ['a{b', '{a{b}'],
    ['{mail}:messages:gmail', '{mail}:messages:gmail'],
    ['x:{t}:y', 'x:{t}:y'],
    ['x{t}y}z', 'x{t}y}z'],
  ])('%s → %s', (key, prefix) => {
    expect(sameSlotKeyPrefix(key)).toBe(prefix);
  });

  it.each(['a{}b', 'a}b', '}{x', '{}{x}'])('%s (a "}" but no hash tag) → null', (key) => {
    expect(sameSlotKeyPrefix(key)).toBeNull();
  });
});
