// HTML and SVG re-derived for release: parsed and written again from an allow-list of elements and
// attributes, so comments, scripts, styles, links, foreign objects and attributes no one sees are not
// carried out; hidden characters are removed from text and attributes.
//
// HTML is cut into tags and text by one regular expression and written again here, because sanitize-html
// (which SVG uses, for its XML mode and style handling) and even htmlparser2's Parser cost 20–100× more per
// pandas table, and a notebook holds thousands. Safety does not rest on reading HTML as a browser would:
// what leaves is only what this writer emits (allow-listed elements and attributes, every text and value
// decoded and escaped again), and the checks read that output, so a tag this reader misjudges is at worst
// dropped or shown as text. Entities are decoded by `entities` (htmlparser2's own decoder).
import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import { stripHiddenCharacters } from '../bundle/hidden-characters.js';

/** What pandas, IPython and Markdown render as HTML tables and text. */
const htmlTags = [
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'colgroup',
  'col',
  'div',
  'span',
  'p',
  'br',
  'hr',
  'b',
  'i',
  'em',
  'strong',
  'u',
  's',
  'sub',
  'sup',
  'small',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6'
];

const allowedHtml = new Set(htmlTags);
const htmlAttributes = new Set(['class', 'colspan', 'rowspan', 'align', 'valign', 'halign']);
const voidHtml = new Set(['br', 'hr', 'col']);
/** Elements whose content is not shown as text: dropped with everything inside. */
const hiddenContent = new Set(['template', 'noscript', 'object', 'svg', 'math', 'head', 'select']);

const escapeText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const decoded = (s: string) => stripHiddenCharacters(s.includes('&') ? decodeHTML(s) : s);

/** Elements whose content is raw text to their end tag (never markup). */
const rawText = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes'
]);

/** A comment, a doctype or processing instruction, or a start or end tag with its attributes. */
const token =
  /<!--[\s\S]*?(?:-->|$)|<![^>]*(?:>|$)|<\?[^>]*(?:>|$)|<(\/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const attribute = /([^\s=/"'>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** SVG as matplotlib, seaborn and plotly's static export write it, minus scripts and foreign objects. */
const svgTags = [
  'svg',
  'g',
  'defs',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'title',
  'desc',
  'clipPath',
  'mask',
  'marker',
  'symbol',
  'use',
  'linearGradient',
  'radialGradient',
  'stop',
  'pattern'
];

const svgAttributes = [
  'id',
  'class',
  'd',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'dx',
  'dy',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'width',
  'height',
  'points',
  'viewBox',
  'preserveAspectRatio',
  'transform',
  'style',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-dasharray',
  'stroke-miterlimit',
  'opacity',
  'clip-path',
  'clip-rule',
  'mask',
  'marker-start',
  'marker-mid',
  'marker-end',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientUnits',
  'gradientTransform',
  'patternUnits',
  'markerWidth',
  'markerHeight',
  'refX',
  'refY',
  'orient',
  'version',
  'xmlns',
  'xmlns:xlink',
  'href',
  'xlink:href'
];

/** Only references inside the picture (`#id`): no external URL can be fetched or carry data. */
const localReference = /^#[A-Za-z0-9_.:-]*$/;
const externalUrl = /url\(\s*(?!['"]?#)/i;

const svgOptions: sanitizeHtml.IOptions = {
  allowedTags: svgTags,
  allowedAttributes: { '*': svgAttributes },
  disallowedTagsMode: 'discard',
  // Elements whose text is not drawn: dropped with everything inside.
  nonTextTags: ['script', 'style', 'metadata', 'foreignObject', 'textarea', 'option', 'noscript'],
  parser: { xmlMode: true, lowerCaseTags: false, lowerCaseAttributeNames: false },
  selfClosing: ['path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'use', 'stop'],
  allowedSchemes: [],
  textFilter: text => stripHiddenCharacters(text),
  transformTags: {
    '*': (tagName, attribs) => {
      const kept: Record<string, string> = {};
      for (const [name, value] of Object.entries(attribs)) {
        const clean = stripHiddenCharacters(value);
        if ((name === 'href' || name === 'xlink:href') && !localReference.test(clean)) {
          continue;
        }
        if (externalUrl.test(clean)) {
          continue;
        }
        kept[name] = clean;
      }
      return { tagName, attribs: kept };
    }
  }
};

/** HTML written again from its tags and text through the allow-list: elements, attributes and text only. */
export function deriveHtml(html: string): string {
  const out: string[] = [];
  /** The hidden element being skipped and how deeply it nests in itself. */
  let skip: { name: string; depth: number } | undefined;
  let at = 0;
  const text = (end: number) => {
    if (end > at && !skip) {
      out.push(escapeText(decoded(html.slice(at, end))));
    }
  };
  token.lastIndex = 0;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    text(m.index);
    at = token.lastIndex;
    const name = m[2]?.toLowerCase();
    if (!name) {
      continue; // a comment, doctype or processing instruction
    }
    const closing = m[1] === '/';
    if (skip) {
      if (name === skip.name) {
        skip.depth += closing ? -1 : 1;
        skip = skip.depth > 0 ? skip : undefined;
      }
      continue;
    }
    if (!closing && rawText.has(name)) {
      // Everything to the end tag is text of an element that is dropped.
      const close = new RegExp(`</${name}`, 'ig');
      close.lastIndex = at;
      at = close.exec(html)?.index ?? html.length;
      token.lastIndex = at;
      continue;
    }
    if (!closing && hiddenContent.has(name)) {
      skip = /\/\s*$/.test(m[3]) ? undefined : { name, depth: 1 };
      continue;
    }
    if (!allowedHtml.has(name)) {
      continue;
    }
    if (closing) {
      if (!voidHtml.has(name)) {
        out.push(`</${name}>`);
      }
      continue;
    }
    let tag = `<${name}`;
    attribute.lastIndex = 0;
    for (let a = attribute.exec(m[3]); a; a = attribute.exec(m[3])) {
      const key = a[1].toLowerCase();
      if (htmlAttributes.has(key) || (key === 'border' && name === 'table')) {
        tag += ` ${key}="${escapeAttribute(decoded(a[2] ?? a[3] ?? a[4] ?? ''))}"`;
      }
    }
    out.push(`${tag}>`);
  }
  text(html.length);
  return out.join('');
}

/** An SVG written again from its parse: its text, titles and attributes stay (and are vetted as text). */
export function deriveSvg(svg: string): string {
  const body = sanitizeHtml(svg, svgOptions).trim();
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}\n`;
}
