import { redactSecrets, registerSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it('writes *** with the one rule set of the kit, in logs, span attributes and CLI lines', () => {
    registerSecrets(['canary-redact-77']);
    expect(redactSecrets('connect redis://default:pw@redis:6379 failed')).toBe('connect redis://default:***@redis:6379 failed');
    expect(redactSecrets('Authorization: Bearer abc.def')).toBe('Authorization: Bearer ***');
    expect(redactSecrets('https://api/x?token=t0k&a=1')).toBe('https://api/x?token=***&a=1');
    expect(redactSecrets('echo canary-redact-77 back')).toBe('echo *** back');
    // Beyond what it matched before: key names ending in a secret word, JWTs, provider keys in free text.
    expect(redactSecrets('aws_secret_access_key=wJalrX secretKey: abc pass=p auth=u:p x-api-key=k')).toBe('aws_secret_access_key=*** secretKey: *** pass=*** auth=*** x-api-key=***');
    expect(redactSecrets('got ghp_0123456789abcdefghij0123456789abcdef and sk-proj-AbCdEfGhIjKlMnOpQrSt')).toBe('got *** and ***');
  });

  it('leaves a message without secrets as it is', () => {
    expect(redactSecrets('job completed in 12 ms: 3 pages, tokenCount=900')).toBe('job completed in 12 ms: 3 pages, tokenCount=900');
  });
});
