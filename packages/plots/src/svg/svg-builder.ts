/**
 * A small SVG writer: elements as strings with attributes in a fixed order and numbers rounded to
 * two decimals, so the same picture always gives the same bytes.
 */

/** Attribute values: numbers are rounded to 0.01 (−0 written as 0); strings are XML-escaped. */
export type SvgAttributes = Record<string, string | number | undefined>;

/**
 * Escapes text for SVG content or an attribute value (`& < > " '`). Control characters other than
 * tab and newline are not valid XML: they are written as U+FFFD so the document always parses.
 *
 * @example
 * ```ts
 * escapeXml('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 * ```
 */
export function escapeXml(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&#39;';
    else if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      code === 0xfffe ||
      code === 0xffff
    )
      out += '\uFFFD';
    else out += ch;
  }
  return out;
}

/**
 * A number as SVG writes it: two decimals at most, no trailing zeros, never `-0` or NaN.
 *
 * @example
 * ```ts
 * svgNumber(1.23456); // '1.23'
 * ```
 */
export function svgNumber(x: number): string {
  if (!Number.isFinite(x)) return '0';
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) || r === 0 ? '0' : String(r);
}

function attributes(attrs: SvgAttributes): string {
  let out = '';
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    out += ` ${key}="${typeof value === 'number' ? svgNumber(value) : escapeXml(value)}"`;
  }
  return out;
}

/**
 * One element: `<name attrs/>` or `<name attrs>children</name>`; `children` is markup already built.
 *
 * @example
 * ```ts
 * element('circle', { cx: 10, cy: 10, r: 3, fill: '#000' }); // '<circle cx="10" cy="10" r="3" fill="#000"/>'
 * ```
 */
export function element(name: string, attrs: SvgAttributes, children?: string): string {
  return children === undefined
    ? `<${name}${attributes(attrs)}/>`
    : `<${name}${attributes(attrs)}>${children}</${name}>`;
}

/**
 * A `<text>` element whose content is escaped.
 *
 * @example
 * ```ts
 * textElement('king', { x: 5, y: 20, 'font-size': 13 });
 * ```
 */
export function textElement(text: string, attrs: SvgAttributes): string {
  return element('text', attrs, escapeXml(text));
}

/**
 * The whole document: a white background, then `body`.
 *
 * @example
 * ```ts
 * svgDocument(400, 300, textElement('hi', { x: 10, y: 20 }), 'DejaVu Sans');
 * ```
 */
export function svgDocument(width: number, height: number, body: string, fontFamily: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${svgNumber(width)}" height="${svgNumber(height)}" ` +
    `viewBox="0 0 ${svgNumber(width)} ${svgNumber(height)}" font-family="${escapeXml(fontFamily)}">` +
    element('rect', { width, height, fill: '#ffffff' }) +
    body +
    '</svg>'
  );
}
