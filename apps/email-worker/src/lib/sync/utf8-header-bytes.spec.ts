import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import { loadFixtureEmails } from '@jobs/test-support';
import { parseMessage } from './parse-message';
import { utf8HeaderBytes } from './utf8-header-bytes';

// Messages are built as bytes: `bytes(text, charset)` writes `text` in `charset`, the way a
// mailer that puts raw 8-bit header bytes on the wire does.
const bytes = (text: string, charset = 'ascii') => iconv.encode(text, charset);
const message = (...parts: Buffer[]) => Buffer.concat(parts);
const parse = (raw: Buffer) =>
  parseMessage({ id: 'm1', threadId: 't1', version: '1', labels: [], receivedAt: new Date('2024-05-01T00:00:00Z'), raw });

/** A multipart message whose Subject, From display name and body are raw bytes in `headerCharset`. */
function multipart(headerCharset: string, declared: string | null, subject: string, fromName: string, body = 'Olá'): Buffer {
  const typeLine = declared ? `Content-Type: text/plain; charset=${declared}\r\n` : 'Content-Type: text/plain\r\n';
  return message(
    bytes('From: '),
    bytes(fromName, headerCharset),
    bytes(' <jose@example.pt>\r\nTo: ana@example.com\r\nSubject: '),
    bytes(subject, headerCharset),
    bytes('\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'),
    bytes(`${typeLine}Content-Transfer-Encoding: 8bit\r\n\r\n`),
    bytes(`${body}\r\n`, headerCharset),
    bytes('--b1--\r\n'),
  );
}

describe('raw 8-bit header bytes (not UTF-8, no encoded-word)', () => {
  it('are read in the charset the body part declares: a windows-1252 subject and From name come out whole', async () => {
    const raw = multipart('windows-1252', 'windows-1252', 'Formação … Verão', 'José Conceição', 'Olá, até breve');
    // Before the fix mailparser read these bytes as UTF-8: `Forma��o`.
    expect((await simpleParser(raw)).subject).toContain('\uFFFD');
    const m = await parse(raw);
    expect(m.subject).toBe('Formação … Verão');
    expect(m.from).toEqual([{ name: 'José Conceição', address: 'jose@example.pt' }]);
    expect(m.text?.trim()).toBe('Olá, até breve');
    expect(m.sizeBytes).toBe(raw.length);
  });

  it('a declared Latin-1 is read as windows-1252, as browsers read it (curly quotes and dashes in 0x80–0x9F)', async () => {
    const m = await parse(multipart('windows-1252', 'iso-8859-1', '“Verão” – já', 'Zoë'));
    expect(m.subject).toBe('“Verão” – já');
    expect(m.from[0]?.name).toBe('Zoë');
  });

  it('are read in another declared charset when that is what the message declares (KOI8-R)', async () => {
    const m = await parse(multipart('koi8-r', 'koi8-r', 'Привет, мир', 'Иван', 'Текст'));
    expect(m.subject).toBe('Привет, мир');
    expect(m.from[0]?.name).toBe('Иван');
    expect(m.text?.trim()).toBe('Текст');
  });

  it('fall back to windows-1252 when nothing usable is declared: no charset, UTF-8 (just proved wrong), unknown, UTF-16', async () => {
    for (const declared of [null, 'utf-8', 'x-unknown', 'utf-16']) {
      const m = await parse(multipart('windows-1252', declared, 'Formação – Verão', 'José'));
      expect({ declared, subject: m.subject, name: m.from[0]?.name }).toEqual({ declared, subject: 'Formação – Verão', name: 'José' });
    }
    const single = message(bytes('From: a@example.com\r\nSubject: '), bytes('Café crème', 'windows-1252'), bytes('\r\n\r\nhello\r\n'));
    expect((await parse(single)).subject).toBe('Café crème');
  });

  it('in a MIME part\'s own headers (an attachment\'s file name) are decoded too', async () => {
    const raw = message(
      bytes('From: a@example.com\r\nSubject: report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'),
      bytes('--b1\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\nsee attached\r\n'),
      bytes('--b1\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="'),
      bytes('relatório de previsão.pdf', 'windows-1252'),
      bytes('"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n'),
    );
    const m = await parse(raw);
    expect(m.attachments.map((a) => a.filename)).toEqual(['relatório de previsão.pdf']);
  });

  it('UTF-8 header bytes stay UTF-8, also beside a Latin-1 header and an 8-bit Latin-1 body', async () => {
    const raw = message(
      bytes('From: '),
      bytes('Zoë Ağaoğlu', 'utf-8'),
      bytes(' <z@example.com>\r\nSubject: '),
      bytes('Résumé – ünïcödé ✓', 'utf-8'),
      bytes('\r\nX-Note: '),
      bytes('Forma\u00e7\u00e3o', 'latin1'),
      bytes('\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      bytes('Olá\r\n', 'latin1'),
    );
    const m = await parse(raw);
    expect(m.subject).toBe('Résumé – ünïcödé ✓');
    expect(m.from[0]?.name).toBe('Zoë Ağaoğlu');
    expect(m.text?.trim()).toBe('Olá');
  });

  it('leaves encoded-words as mailparser decodes them, also in a message with raw 8-bit headers', async () => {
    const raw = message(
      bytes('From: =?ISO-8859-1?Q?Jos=E9?= <jose@example.pt>\r\nSubject: =?UTF-8?B?'),
      bytes(Buffer.from('Formação de Verão').toString('base64')),
      bytes('?=\r\nX-Other: '),
      bytes('Verão', 'latin1'),
      bytes('\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nhi\r\n'),
    );
    const m = await parse(raw);
    expect(m.subject).toBe('Formação de Verão');
    expect(m.from[0]?.name).toBe('José');
  });

  it('change nothing in the 54 fixture messages: the same bytes reach mailparser, the same subjects come out', async () => {
    const fixtures = loadFixtureEmails();
    expect(fixtures).toHaveLength(54);
    for (const fixture of fixtures) {
      expect({ name: fixture.name, same: (await utf8HeaderBytes(fixture.raw)) === fixture.raw }).toEqual({ name: fixture.name, same: true });
      const before = await simpleParser(fixture.raw, { skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true });
      expect({ name: fixture.name, subject: (await parse(fixture.raw)).subject }).toEqual({ name: fixture.name, subject: before.subject ?? null });
    }
  });

  it('leave the body bytes and the structure as they were when only headers change', async () => {
    const raw = multipart('latin1', 'iso-8859-1', 'Verão', 'José', 'Corpo em Latin-1: ação');
    const out = await utf8HeaderBytes(raw);
    const bodyStart = (b: Buffer) => b.indexOf('\r\n\r\n--b1');
    expect(out.subarray(bodyStart(out))).toEqual(raw.subarray(bodyStart(raw)));
    expect(out.subarray(0, bodyStart(out)).toString('utf8')).toContain('Subject: Verão\r\n');
  });
});
