import { InvalidPhoneNumberError } from './errors';
import { normalisePhoneNumber } from './normalise-phone-number';

describe('normalisePhoneNumber', () => {
  it('gives E.164 and the time zones of the prefix', async () => {
    await expect(normalisePhoneNumber('+1 (212) 555-1234')).resolves.toEqual({ e164: '+12125551234', country: 'US', timeZones: ['America/New_York'] });
    await expect(normalisePhoneNumber('+44 20 7183 8750')).resolves.toMatchObject({ e164: '+442071838750', country: 'GB', timeZones: ['Europe/London'] });
    await expect(normalisePhoneNumber('020 7183 8750', 'GB')).resolves.toMatchObject({ e164: '+442071838750' });
  });

  it('refuses what is not a callable number, naming phoneNumber', async () => {
    for (const bad of ['hello', '+1 555', '+44 20 7183 875', '12345']) {
      const err = await normalisePhoneNumber(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidPhoneNumberError);
      expect((err as Error).message).toMatch(/^phoneNumber: /);
    }
  });
});
