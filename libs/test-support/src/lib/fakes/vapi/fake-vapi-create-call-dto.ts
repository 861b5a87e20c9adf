import { vapiBadRequest } from './fake-vapi-http-error';

/** The accepted body of `POST /call`: Vapi's `CreateCallDto`, of which the fake uses what an outbound phone call needs. */
export interface FakeVapiCreateCallRequest {
  readonly assistantId?: string;
  readonly assistant?: Readonly<Record<string, unknown>>;
  /** Where callers put their own data (`assistantOverrides.metadata`) and a per-call server URL (`assistantOverrides.server`). */
  readonly assistantOverrides?: Readonly<Record<string, unknown>>;
  readonly phoneNumberId?: string;
  readonly phoneNumber?: Readonly<Record<string, unknown>>;
  readonly customer: Readonly<{ number: string; [key: string]: unknown }>;
  readonly name?: string;
  readonly [key: string]: unknown;
}

/** Top-level properties of `CreateCallDto` in `@vapi-ai/server-sdk` 2.0.1 (Vapi's OpenAPI). Anything else is refused, as Vapi's whitelist validation does. */
const CREATE_CALL_PROPERTIES = new Set([
  'assistantVersion',
  'transport',
  'customers',
  'name',
  'schedulePlan',
  'assistantId',
  'assistant',
  'assistantOverrides',
  'squadId',
  'squad',
  'squadOverrides',
  'workflowId',
  'workflow',
  'workflowOverrides',
  'phoneNumberId',
  'phoneNumber',
  'customerId',
  'customer',
]);

/** Properties of `CreateCustomerDto` (same source). */
const CUSTOMER_PROPERTIES = new Set(['numberE164CheckEnabled', 'extension', 'assistantOverrides', 'squadOverrides', 'number', 'sipUri', 'name', 'email', 'externalId']);

const STRING_PROPERTIES = ['assistantId', 'squadId', 'workflowId', 'phoneNumberId', 'customerId', 'name'] as const;
const OBJECT_PROPERTIES = ['assistant', 'assistantOverrides', 'squad', 'squadOverrides', 'workflow', 'workflowOverrides', 'phoneNumber', 'customer', 'schedulePlan', 'transport'] as const;

/** E.164: `+`, a non-zero digit, up to 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a `POST /call` body the way Vapi's validation pipe does: unknown properties (`property
 * metadata should not exist` — `metadata` belongs in `assistantOverrides.metadata`), wrong types,
 * a customer number that is not E.164 (unless `customer.numberE164CheckEnabled: false`). Then
 * what the fake needs for an outbound phone call: an assistant (`assistantId`, `assistant`, a
 * squad or a workflow), a phone number (`phoneNumberId` or `phoneNumber`) and `customer.number`.
 * The wording of those last checks is the fake's own; Vapi does not document it.
 * @throws FakeVapiHttpError 400 `{ message: string[], error: 'Bad Request', statusCode: 400 }`.
 */
export function parseFakeVapiCreateCallDto(body: unknown): FakeVapiCreateCallRequest {
  if (!isObject(body)) throw vapiBadRequest(['request body must be a JSON object']);
  const messages: string[] = [];
  for (const key of Object.keys(body)) if (!CREATE_CALL_PROPERTIES.has(key)) messages.push(`property ${key} should not exist`);
  for (const key of STRING_PROPERTIES) if (body[key] !== undefined && typeof body[key] !== 'string') messages.push(`${key} must be a string`);
  for (const key of OBJECT_PROPERTIES) if (body[key] !== undefined && !isObject(body[key])) messages.push(`${key} must be an object`);
  if (body['customers'] !== undefined) messages.push('customers (batch calls) is not supported by the fake Vapi server; send one customer');
  const customer = body['customer'];
  if (isObject(customer)) {
    for (const key of Object.keys(customer)) if (!CUSTOMER_PROPERTIES.has(key)) messages.push(`customer.property ${key} should not exist`);
    const number = customer['number'];
    if (number !== undefined && typeof number !== 'string') messages.push('customer.number must be a string');
    if (typeof number === 'string' && customer['numberE164CheckEnabled'] !== false && !E164.test(number)) {
      messages.push('customer.number must be a valid phone number in the E.164 format. Hot tip, you may be missing the country code (Eg. US: +1).');
    }
  }
  if (messages.length > 0) throw vapiBadRequest(messages);

  const hasAssistant = ['assistantId', 'assistant', 'squadId', 'squad', 'workflowId', 'workflow'].some((key) => body[key] !== undefined);
  if (!hasAssistant) messages.push('Need Either `assistantId`, `assistant`, `squadId`, `squad`, `workflowId` Or `workflow`.');
  if (body['phoneNumberId'] === undefined && body['phoneNumber'] === undefined) messages.push('Need Either `phoneNumberId` Or `phoneNumber` for an outbound phone call.');
  if (!isObject(customer) || typeof customer['number'] !== 'string') messages.push('customer.number is required by the fake Vapi server (outbound phone calls only).');
  if (messages.length > 0) throw vapiBadRequest(messages);
  return body as FakeVapiCreateCallRequest;
}
