import { loadFixtureEmails } from '@jobs/test-support';
import { MAX_BODY_CHARS, parseMessage } from './parse-message';

const fixtures = new Map(loadFixtureEmails().map((f) => [f.name, f.raw]));
const parse = (name: string, raw = fixtures.get(name)) => {
  if (!raw) throw new Error(`fixture ${name} missing`);
  return parseMessage({ id: 'm1', threadId: 't1', version: '7', labels: ['INBOX'], receivedAt: new Date('2024-05-01T00:00:00Z'), raw });
};

describe('parseMessage (real fixture messages)', () => {
  // Expected values read off the files' own headers.
  it('decodes RFC 2047 subjects and RFC 2231 / raw 8-bit attachment names', async () => {
    const quoted = await parse('attachment_emails/attachment_with_quoted_filename.eml');
    expect(quoted.subject).toBe('Eelanalüüsi päring');
    expect(quoted.from).toEqual([{ name: 'Jeffrey Hardy', address: 'jeff@37signals.com' }]);
    expect(quoted.date).toBe('2009-05-13T15:42:01.000Z');
    expect(quoted.attachments.map((a) => a.filename)).toEqual(['Eelanalüüsi päring.jpg']);

    const nonAscii = await parse('attachment_emails/attachment_nonascii_filename.eml');
    expect(nonAscii.attachments.map((a) => a.filename)).toEqual(['ciële.txt']);
  });

  it('lists every attachment with type and decoded size, never the content', async () => {
    const m = await parse('mime_emails/raw_email7.eml');
    expect(m.attachments.map((a) => a.filename)).toEqual(['test.rb', 'test.pdf', 'smime.p7s']);
    expect(m.attachments.every((a) => a.size > 0 && a.contentType.includes('/'))).toBe(true);
    expect(JSON.stringify(m)).not.toContain('"content"');
    expect(m).toMatchObject({ id: 'm1', threadId: 't1', version: '7', labels: ['INBOX'], receivedAt: '2024-05-01T00:00:00.000Z' });
  });

  it('keeps every sender of a multi-address From and reads the date with its offset', async () => {
    const m = await parse('plain_emails/raw_email_with_at_display_name.eml');
    expect(m.from.map((a) => a.address)).toEqual(['test@lindsaar.net', 'jack@lindsar.com']);
    expect(m.date).toBe('2008-11-22T04:04:59.000Z');
  });

  it('gives null for an unreadable Date header instead of the time of parsing', async () => {
    const m = await parse('plain_emails/raw_email_with_bad_date.eml');
    expect(m.date).toBeNull();
  });

  it('keeps In-Reply-To and References of a reply', async () => {
    const m = await parse('plain_emails/raw_email_reply.eml');
    expect(m.subject).toBe('Re: Test reply email');
    expect(m.inReplyTo).toBe('<348F04F142D69C21-291E56D292BC@xxxx.net>');
    expect(m.references).toEqual(['<473FF3B8.9020707@xxx.org>', '<348F04F142D69C21-291E56D292BC@xxxx.net>']);
  });

  it('cuts a huge body and says so', async () => {
    const raw = Buffer.from(`From: a@example.com\r\nSubject: big\r\n\r\n${'z'.repeat(MAX_BODY_CHARS + 10)}\r\n`);
    const m = await parse('big', raw);
    expect(m.text?.length).toBe(MAX_BODY_CHARS);
    expect(m.bodyTruncated).toBe(true);
  });

  it('parses all 54 fixtures', async () => {
    expect(fixtures.size).toBe(54);
    for (const name of fixtures.keys()) {
      const m = await parse(name);
      expect(m.sizeBytes).toBe(fixtures.get(name)?.length);
    }
  });
});
