import { parsePage } from './parse-page';

const parse = (htmlText: string, url = 'https://example.com/dir/page.html', charset: string | null = null) =>
  parsePage(Buffer.from(htmlText, 'utf8'), charset, url);

describe('parsePage', () => {
  it('resolves links and resources against <base href>, drops fragments and non-http targets', () => {
    const page = parse(`<!doctype html><html><head><base href="https://cdn.example.com/base/">
      <link rel="Shortcut Icon" href="fav.ico"><link rel="canonical" href="/canonical#x"></head><body>
      <a href="a.html#top">a</a><a href="a.html">again</a><a href="mailto:me@example.com">m</a><a href="javascript:void(0)">j</a>
      <img src="i.png" srcset="i-2x.png 2x, data:image/png;base64,AAA,BBB 3x, img,with,commas.png 4x" alt="">
      <picture><source srcset="s.webp"></picture><video src="v.mp4" poster="p.jpg"></video>
      <object data="o.swf"></object><input type="IMAGE" src="btn.png"><iframe src="f.html"></iframe>
      </body></html>`);
    expect(page.links).toEqual(['https://cdn.example.com/base/a.html', 'https://cdn.example.com/base/a.html']);
    expect(page.canonical).toBe('https://cdn.example.com/canonical#x');
    expect(page.resources.sort()).toEqual(
      [
        'fav.ico',
        'i.png',
        'i-2x.png',
        'img,with,commas.png',
        's.webp',
        'v.mp4',
        'p.jpg',
        'o.swf',
        'btn.png',
        'f.html',
      ]
        .map((p) => `https://cdn.example.com/base/${p}`)
        .sort(),
    );
  });

  it('reads title, description, headings, language, alt text and robots meta', () => {
    const page = parse(`<html lang=" de-CH "><head><title>
        Hello   world </title><META NAME="Description" CONTENT="  About us "><meta name="robots" content="NOINDEX,follow"></head>
      <body><svg><title>icon</title></svg><h1>a</h1><h1>b</h1><img src="x.png"><img src="y.png" alt=""><IMG SRC="z.png"></body></html>`);
    expect(page).toMatchObject({
      title: 'Hello world',
      metaDescription: 'About us',
      h1Count: 2,
      lang: 'de-CH',
      imagesWithoutAlt: 2,
      noindexMeta: true,
    });
  });

  it('ignores an <svg> title and gives nulls for empty values', () => {
    const page = parse('<body><svg><title>icon</title></svg><meta name="description" content="  "><meta name="googlebot" content="nofollow"></body>');
    expect(page).toMatchObject({ title: null, metaDescription: null, lang: null, canonical: null, h1Count: 0, noindexMeta: false });
  });

  it('treats "none" as noindex and reads googlebot meta', () => {
    expect(parse('<meta name="googlebot" content="none">').noindexMeta).toBe(true);
  });
});
