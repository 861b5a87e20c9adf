import { createHash } from 'node:crypto';
import { matchBearerToken } from './match-bearer-token';

const sha = (t: string) => createHash('sha256').update(t).digest();
const TOKENS = [
  { role: 'admin' as const, sha256: sha('admin-token-1') },
  { role: 'viewer' as const, sha256: sha('viewer-token-1') },
];

describe('matchBearerToken', () => {
  it('gives the role of the hash the token matches', () => {
    expect(matchBearerToken('Bearer admin-token-1', TOKENS)).toBe('admin');
    expect(matchBearerToken('bearer viewer-token-1', TOKENS)).toBe('viewer');
  });

  it('refuses a wrong token, the hash itself, another scheme or no header', () => {
    expect(matchBearerToken('Bearer admin-token-2', TOKENS)).toBeUndefined();
    expect(matchBearerToken(`Bearer ${sha('admin-token-1').toString('hex')}`, TOKENS)).toBeUndefined();
    expect(matchBearerToken('Basic admin-token-1', TOKENS)).toBeUndefined();
    expect(matchBearerToken('Bearer admin-token-1 extra', TOKENS)).toBeUndefined();
    expect(matchBearerToken(undefined, TOKENS)).toBeUndefined();
    expect(matchBearerToken('Bearer admin-token-1', [])).toBeUndefined();
  });
});
