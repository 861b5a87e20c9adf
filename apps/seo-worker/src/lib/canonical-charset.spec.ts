import { canonicalCharset } from './canonical-charset';

describe('canonicalCharset', () => {
  it.each([
    ['utf-8', 'UTF-8'],
    ['UTF-8', 'UTF-8'],
    ['utf8', 'UTF-8'],
    [' Utf-8 ', 'UTF-8'],
    ['unicode-1-1-utf-8', 'UTF-8'],
    ['latin1', 'windows-1252'],
    ['iso-8859-1', 'windows-1252'],
    ['ISO_8859-1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['windows-1252', 'windows-1252'],
    ['ks_c_5601-1987', 'EUC-KR'],
    ['euc-kr', 'EUC-KR'],
    ['korean', 'EUC-KR'],
    ['x-sjis', 'Shift_JIS'],
    ['gb2312', 'GBK'],
    ['iso-8859-2', 'ISO-8859-2'],
    ['utf-16', 'UTF-16LE'],
  ])('maps the label %j to %j', (label, name) => {
    expect(canonicalCharset(label)).toBe(name);
  });

  it.each([null, '', 'no-such-charset', 'iso-2022-kr'])('gives null for %j (no usable encoding)', (label) => {
    expect(canonicalCharset(label)).toBeNull();
  });
});
