import { FakeGraphHttpError } from './fake-graph-http-error';
import type { FakeGraphMessagePatch } from './fake-graph-mailbox-store';
import type { FakeGraphItemBody, FakeGraphMessage, FakeGraphRecipient } from './fake-graph-message';
import { messageJson, messagePlainText } from './fake-graph-message-json';
import { bodyContentType, entityContext, type FakeGraphRouteContext, type FakeGraphRouteResult } from './fake-graph-route-context';

/**
 * PATCH: `subject` and `body` on drafts only (Graph documents both as "updatable only if
 * isDraft = true"; on other messages the fake answers 400 ErrorInvalidPropertySet, the code Graph
 * gives for `from`), `isRead`, `toRecipients`, `ccRecipients` on any message. Any other property
 * is refused with 400 RequestBodyRead so a test notices what the fake does not model.
 */
export async function patchMessage(ctx: FakeGraphRouteContext, message: FakeGraphMessage): Promise<FakeGraphRouteResult> {
  const body = await ctx.readBody();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FakeGraphHttpError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  const patch: { -readonly [K in keyof FakeGraphMessagePatch]: FakeGraphMessagePatch[K] } = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === '@odata.type') continue;
    if ((key === 'subject' || key === 'body') && !message.isDraft) {
      throw new FakeGraphHttpError(400, 'ErrorInvalidPropertySet', 'Message is not draft.');
    }
    if (key === 'subject' && typeof value === 'string') patch.subject = value;
    else if (key === 'body') patch.body = itemBody(value);
    else if (key === 'isRead' && typeof value === 'boolean') patch.isRead = value;
    else if (key === 'toRecipients' || key === 'ccRecipients') patch[key] = recipientList(key, value);
    else {
      throw new FakeGraphHttpError(
        400,
        'RequestBodyRead',
        `The property '${key}' does not exist on type 'microsoft.graph.message' or cannot be set by this fake (supported: subject, body, isRead, toRecipients, ccRecipients).`,
      );
    }
  }
  const updated = ctx.mailbox.updateMessage(message.id, patch);
  const json = await messageJson(updated, { select: undefined, bodyContentType: bodyContentType(ctx) });
  return { status: 200, json: { '@odata.context': entityContext(ctx), ...json } };
}

function itemBody(value: unknown): FakeGraphItemBody {
  const v = value as { contentType?: unknown; content?: unknown } | null;
  const contentType = typeof v?.contentType === 'string' ? v.contentType.toLowerCase() : 'text';
  if (typeof v?.content !== 'string' || (contentType !== 'text' && contentType !== 'html')) {
    throw new FakeGraphHttpError(400, 'RequestBodyRead', "Invalid 'body': expected { contentType: 'text' | 'html', content: string }.");
  }
  return { contentType, content: v.content };
}

function recipientList(key: string, value: unknown): FakeGraphRecipient[] {
  if (!Array.isArray(value)) throw new FakeGraphHttpError(400, 'RequestBodyRead', `Invalid '${key}': expected an array of recipients.`);
  return value.map((r: { emailAddress?: { address?: unknown; name?: unknown } }) => {
    const address = r?.emailAddress?.address;
    if (typeof address !== 'string') throw new FakeGraphHttpError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    const name = typeof r.emailAddress?.name === 'string' && r.emailAddress.name ? r.emailAddress.name : address;
    return { emailAddress: { name, address } };
  });
}

/** createReply: optional `{ comment }` or `{ message: { body } }` (not both, as Graph). */
export async function createReply(ctx: FakeGraphRouteContext, original: FakeGraphMessage): Promise<FakeGraphRouteResult> {
  const body = ((await ctx.readBody()) ?? {}) as { comment?: unknown; message?: { body?: unknown } };
  const comment = typeof body.comment === 'string' ? body.comment : undefined;
  const messageBody = body.message?.body === undefined ? undefined : itemBody(body.message.body);
  if (comment !== undefined && messageBody !== undefined) {
    throw new FakeGraphHttpError(400, 'ErrorInvalidRequest', 'Specify either comment or the body property of the message parameter, not both.');
  }
  const draft = ctx.mailbox.createReplyDraft(original.id, {
    comment,
    body: messageBody,
    quotedText: messageBody ? undefined : await messagePlainText(original),
  });
  const json = await messageJson(draft, { select: undefined, bodyContentType: bodyContentType(ctx) });
  return { status: 201, json: { '@odata.context': entityContext(ctx), ...json } };
}
