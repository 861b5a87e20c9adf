/**
 * The phone number cannot be called as given: it does not parse, or is not a valid number
 * (wrong length, unassigned prefix; Google's libphonenumber metadata). Thrown by
 * `normalisePhoneNumber`; its `message` starts with `phoneNumber: ` and says why.
 * {@link toJobError} fails the job at once: no retry can fix the input.
 */
export class InvalidPhoneNumberError extends Error {
  override readonly name = 'InvalidPhoneNumberError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
