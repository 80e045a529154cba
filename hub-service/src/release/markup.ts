// HTML and SVG re-derived for release: parsed and written again from an allow-list of elements and
// attributes (sanitize-html, on htmlparser2), so comments, scripts, styles, links, foreign objects and
// attributes no one sees are not carried out; hidden characters are removed from text and attributes.
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

const htmlOptions: sanitizeHtml.IOptions = {
  allowedTags: htmlTags,
  allowedAttributes: {
    '*': ['class', 'colspan', 'rowspan', 'align', 'valign', 'halign'],
    table: ['class', 'border']
  },
  // Text of scripts, styles and the like is dropped with the element.
  disallowedTagsMode: 'discard',
  textFilter: text => stripHiddenCharacters(text)
};

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

/** HTML written again from its parse through the allow-list. */
export function deriveHtml(html: string): string {
  return sanitizeHtml(html, {
    ...htmlOptions,
    transformTags: {
      '*': (tagName, attribs) => ({
        tagName,
        attribs: Object.fromEntries(
          Object.entries(attribs).map(([k, v]) => [k, stripHiddenCharacters(v)])
        )
      })
    }
  });
}

/** An SVG written again from its parse: its text, titles and attributes stay (and are vetted as text). */
export function deriveSvg(svg: string): string {
  const body = sanitizeHtml(svg, svgOptions).trim();
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}\n`;
}
