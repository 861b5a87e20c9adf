import { simpleParser, type ParsedMail } from 'mailparser';
import { FakeGraphHttpError } from './fake-graph-http-error';
import type { FakeGraphItemBody, FakeGraphMessage } from './fake-graph-message';

/**
 * The message properties the fake serves, in Graph's casing and in the order Graph returns its
 * default set (what you get without `$select`).
 */
export const FAKE_GRAPH_MESSAGE_PROPERTIES = [
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'flag',
  'id',
] as const;

type MessageProperty = (typeof FAKE_GRAPH_MESSAGE_PROPERTIES)[number];

const byLowerCase = new Map<string, MessageProperty>(FAKE_GRAPH_MESSAGE_PROPERTIES.map((p) => [p.toLowerCase(), p]));

/**
 * Parses `$select` (comma-separated, case-insensitive as in Graph) into canonical property
 * names; `undefined` when absent (the default set).
 *
 * @throws FakeGraphHttpError 400 `RequestBroker--ParseUri` for a property the fake does not know,
 *   with Graph's message text.
 */
export function parseSelect(select: string | undefined): readonly string[] | undefined {
  if (select === undefined || select.trim() === '') return undefined;
  return select.split(',').map((raw) => {
    const name = byLowerCase.get(raw.trim().toLowerCase());
    if (!name) {
      throw new FakeGraphHttpError(
        400,
        'RequestBroker--ParseUri',
        `Could not find a property named '${raw.trim()}' on type 'microsoft.graph.message'.`,
      );
    }
    return name;
  });
}

const parsedByRaw = new WeakMap<Buffer, Promise<ParsedMail>>();

function parse(raw: Buffer): Promise<ParsedMail> {
  let parsed = parsedByRaw.get(raw);
  if (!parsed) parsedByRaw.set(raw, (parsed = simpleParser(raw)));
  return parsed;
}

/** The plain text of a message, for quoting in a reply. */
export async function messagePlainText(message: FakeGraphMessage): Promise<string> {
  if (message.body) return message.body.contentType === 'html' ? htmlToText(message.body.content) : message.body.content;
  return (await parse(message.raw)).text ?? '';
}

/** How to render a message. */
export interface FakeGraphMessageJsonOptions {
  /** `$select`ed properties; `undefined` = Graph's default set. `id` is always included. */
  readonly select: readonly string[] | undefined;
  /** `Prefer: outlook.body-content-type="text"` (or `"html"`); default: the stored format. */
  readonly bodyContentType?: 'text' | 'html';
  /** Add `@odata.type`, as delta items have. */
  readonly withType?: boolean;
}

/**
 * A message as Graph's JSON: `@odata.etag` (`W/"<changeKey>"`), the selected properties, `id`.
 * `body`, `bodyPreview` and `hasAttachments` of received mail come from parsing `raw` with
 * mailparser (HTML body when the message has one, else text; preview = first 255 characters of
 * the text with whitespace collapsed), done only when selected and cached per Buffer.
 */
export async function messageJson(message: FakeGraphMessage, options: FakeGraphMessageJsonOptions): Promise<Record<string, unknown>> {
  const wanted = new Set<string>(options.select ?? FAKE_GRAPH_MESSAGE_PROPERTIES);
  wanted.add('id');
  const needsParse = !message.body && ['body', 'bodyPreview', 'hasAttachments'].some((p) => wanted.has(p));
  const parsed = needsParse ? await parse(message.raw) : undefined;
  const json: Record<string, unknown> = {};
  if (options.withType) json['@odata.type'] = '#microsoft.graph.message';
  json['@odata.etag'] = `W/"${message.changeKey}"`;
  for (const property of FAKE_GRAPH_MESSAGE_PROPERTIES) {
    if (wanted.has(property)) json[property] = propertyValue(message, property, parsed, options.bodyContentType);
  }
  return json;
}

function propertyValue(
  message: FakeGraphMessage,
  property: MessageProperty,
  parsed: ParsedMail | undefined,
  preferred: 'text' | 'html' | undefined,
): unknown {
  switch (property) {
    case 'categories':
      return [];
    case 'hasAttachments':
      return parsed ? parsed.attachments.some((a) => !a.related) : false;
    case 'bodyPreview':
      return bodyPreview(message, parsed);
    case 'importance':
      return 'normal';
    case 'isDeliveryReceiptRequested':
      return null;
    case 'isReadReceiptRequested':
      return false;
    case 'webLink':
      return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(message.id)}&exvsurl=1&viewmodel=ReadMessageItem`;
    case 'inferenceClassification':
      return 'focused';
    case 'body':
      return body(message, parsed, preferred);
    case 'sender':
    case 'from':
      return message.from ?? null;
    case 'flag':
      return { flagStatus: 'notFlagged' };
    default:
      return message[property];
  }
}

function body(message: FakeGraphMessage, parsed: ParsedMail | undefined, preferred: 'text' | 'html' | undefined): FakeGraphItemBody {
  let stored: FakeGraphItemBody;
  if (message.body) stored = message.body;
  else if (parsed && typeof parsed.html === 'string') stored = { contentType: 'html', content: parsed.html };
  else stored = { contentType: 'text', content: parsed?.text ?? '' };
  if (preferred === 'text' && stored.contentType === 'html') {
    return { contentType: 'text', content: parsed?.text ?? htmlToText(stored.content) };
  }
  if (preferred === 'html' && stored.contentType === 'text') {
    const escaped = stored.content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return { contentType: 'html', content: parsed?.textAsHtml ?? `<html><body><pre>${escaped}</pre></body></html>` };
  }
  return stored;
}

function bodyPreview(message: FakeGraphMessage, parsed: ParsedMail | undefined): string {
  const text = message.body
    ? message.body.contentType === 'html'
      ? htmlToText(message.body.content)
      : message.body.content
    : (parsed?.text ?? '');
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|tr|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
