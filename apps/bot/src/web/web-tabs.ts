/**
 * The explorer's tabs and their shareable links (`/?model=m&q=pizza`, `/?tab=analogy&a=king&b=man&c=woman`):
 * which link parameter fills which field of a tab's form. The server reads a link with it to answer
 * a shared link inside the page itself, and hands it to the page, which fills its forms and writes
 * its links with it: one table for both.
 */

/** One field of a tab's form: the link parameter, the command option it holds, whether the form requires it. */
export interface TabField {
  param: string;
  option: string;
  required: boolean;
}

/**
 * The tabs in page order, each named after the command its form runs, with its fields (the forms
 * of apps/bot/web/index.html; a test checks they agree).
 */
export const WEB_TABS: Readonly<Record<string, readonly TabField[]>> = {
  similar: [
    { param: 'q', option: 'word', required: true },
    { param: 'count', option: 'count', required: false },
  ],
  analogy: [
    { param: 'a', option: 'a', required: true },
    { param: 'b', option: 'b', required: true },
    { param: 'c', option: 'c', required: true },
  ],
  similarity: [
    { param: 'a', option: 'a', required: true },
    { param: 'b', option: 'b', required: true },
  ],
  oov: [{ param: 'q', option: 'word', required: true }],
  plot: [
    { param: 'q', option: 'words', required: true },
    { param: 'neighbours', option: 'neighbours', required: false },
    { param: 'projection', option: 'projection', required: false },
  ],
};

/** The tab a link opens (`tab=`, else Similar). */
export function linkTab(params: Readonly<Record<string, string>>): string {
  const tab = params.tab;
  return tab !== undefined && Object.hasOwn(WEB_TABS, tab) ? tab : 'similar';
}

/**
 * The query a shared link asks: its tab's command and options (values trimmed, empty ones left out,
 * `model` passed on), or undefined when a field the form requires is missing, so the page waits for
 * the person to type.
 *
 * @example
 * ```ts
 * sharedQuery({ model: 'glove', q: 'pizza' });
 * // { command: 'similar', options: { word: 'pizza', model: 'glove' } }
 * ```
 */
export function sharedQuery(
  params: Readonly<Record<string, string>>,
): { command: string; options: Record<string, string> } | undefined {
  const command = linkTab(params);
  const options: Record<string, string> = {};
  for (const field of WEB_TABS[command]) {
    const value = params[field.param]?.trim() ?? '';
    if (value !== '') options[field.option] = value;
    else if (field.required) return undefined;
  }
  const model = params.model?.trim() ?? '';
  if (model !== '') options.model = model;
  return { command, options };
}
