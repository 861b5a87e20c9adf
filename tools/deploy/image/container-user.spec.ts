import { containerUser, launchAs } from './container-user';

const NOBODY = { uid: 65534, gid: 65534 };

describe('containerUser', () => {
  it('drops to the given user with setpriv when the tests run as root (CI)', () => {
    const who = containerUser(0, NOBODY);
    expect(who).toEqual(NOBODY);
    expect(launchAs(who, ['node', 'main.js'])).toEqual(['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'node', 'main.js']]);
  });

  it('runs the command itself, as the current user, when the tests do not run as root', () => {
    for (const uid of [1000, 65534, undefined]) {
      const who = containerUser(uid, NOBODY);
      expect(who).toBeUndefined();
      expect(launchAs(who, ['node', 'main.js'])).toEqual(['node', ['main.js']]);
    }
  });

  it('refuses an empty command', () => {
    expect(() => launchAs(undefined, [])).toThrow(RangeError);
  });
});
