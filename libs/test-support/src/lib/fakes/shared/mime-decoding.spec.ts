import { decodeCharset, decodeEncodedWords, decodeTransferEncoding } from './mime-decoding';

describe('MIME decoding shared by the Gmail and Graph fakes', () => {
  it('decodes RFC 2047 words, joining a character split across two words and dropping the space between words', () => {
    // "é" is C3 A9 in UTF-8, split over two B words (C3 | A9); text around the words is kept.
    expect(decodeEncodedWords('Re: =?utf-8?B?ww==?= =?utf-8?B?qQ==?= ok')).toBe('Re: é ok');
    expect(decodeEncodedWords('=?iso-8859-1?Q?Caf=E9_au_lait?=')).toBe('Café au lait');
    expect(decodeEncodedWords('plain subject')).toBe('plain subject');
  });

  it('reads an unknown charset as UTF-8 when valid, else windows-1252, never throwing', () => {
    expect(decodeCharset(Buffer.from('é', 'utf8'), 'x-unknown')).toBe('é');
    expect(decodeCharset(Buffer.from([0xe9]), 'x-unknown')).toBe('é');
  });

  it('undoes base64 and quoted-printable transfer encodings, soft line breaks included', () => {
    expect(decodeTransferEncoding(Buffer.from('aGk=', 'latin1'), 'base64').toString()).toBe('hi');
    expect(decodeTransferEncoding(Buffer.from('a=3Db=\r\nc', 'latin1'), 'Quoted-Printable').toString()).toBe('a=bc');
  });
});
