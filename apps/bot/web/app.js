// The wordvec explorer page: plain JavaScript the browser runs as it is (no build step). Every reply
// comes from the bot's command core through /api/…; text is shown with textContent only, so a word
// such as <script> is displayed, never run.

const $ = (selector) => document.querySelector(selector);
/**
 * What the server put in the page: each tab's form fields with their link parameters (shareable
 * links: /?model=m&q=pizza), the commands it offers, the models, and a shared link's first answer.
 */
const state = JSON.parse($('#state').textContent);
const TABS = Object.keys(state.tabs);

const params = new URLSearchParams(location.search);
const modelSelect = $('#model');
const answer = $('#answer');
let currentTab = TABS.includes(params.get('tab')) ? params.get('tab') : 'similar';
let requestSeq = 0;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function selectedModel() {
  return modelSelect.value || params.get('model') || '';
}

async function getJson(path, query) {
  const url = `${path}?${new URLSearchParams(query).toString()}`;
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  return { status: response.status, body };
}

// ---- models -------------------------------------------------------------------------------------

/** 400000 → "400,000", without Intl: its first use costs 30–270 ms in a fresh page (measured in Chromium). */
function groupDigits(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function showModels(models) {
  if (!Array.isArray(models)) {
    $('#model-info').textContent = 'The models could not be listed.';
    return;
  }
  const asked = params.get('model');
  const wanted = models.some((m) => m.name === asked) ? asked : undefined;
  modelSelect.replaceChildren();
  for (const m of models) {
    const option = el('option', `${m.label} (${m.algorithm}, ${m.dim}d, ${groupDigits(m.vocabSize)} words)`);
    option.value = m.name;
    option.selected = wanted ? m.name === wanted : !!m.isDefault;
    modelSelect.append(option);
  }
  if (asked && !wanted) {
    $('#model-info').textContent = `There is no model “${asked.slice(0, 100)}”; the default is selected.`;
  }
}

modelSelect.addEventListener('change', () => {
  $('#model-info').textContent = '';
  const form = activeForm();
  if ([...form.elements].some((e) => e.name && e.required && e.value.trim() !== '')) run(form);
  else updateUrl(form);
});

/** Hides the tabs whose command this server does not offer (e.g. a bot built without /plot). */
function hideMissingTabs() {
  for (const tab of TABS) if (!state.offered.includes(tab)) $(`#tab-${tab}`).hidden = true;
}

// ---- tabs ---------------------------------------------------------------------------------------

function activeForm() {
  return $(`#panel-${currentTab}`);
}

function showTab(tab, { focus = false } = {}) {
  currentTab = tab;
  for (const name of TABS) {
    const button = $(`#tab-${name}`);
    const selected = name === tab;
    button.setAttribute('aria-selected', String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`#panel-${name}`).hidden = !selected;
  }
  if (focus) $(`#tab-${tab}`).focus();
}

$('#tabs').addEventListener('click', (event) => {
  const tab = event.target.closest('button')?.dataset.tab;
  if (tab) {
    showTab(tab);
    activeForm().querySelector('input')?.focus();
    updateUrl(activeForm());
  }
});

$('#tabs').addEventListener('keydown', (event) => {
  const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
  if (!step) return;
  event.preventDefault();
  const shown = TABS.filter((t) => !$(`#tab-${t}`).hidden);
  const next = shown[(shown.indexOf(currentTab) + step + shown.length) % shown.length];
  showTab(next, { focus: true });
});

document.addEventListener('keydown', (event) => {
  if (event.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement?.tagName ?? '')) {
    event.preventDefault();
    activeForm().querySelector('input')?.focus();
  }
});

// ---- autocomplete -------------------------------------------------------------------------------

let completeTimer;
document.addEventListener('input', (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.complete) return;
  input.setAttribute('list', 'choices');
  clearTimeout(completeTimer);
  completeTimer = setTimeout(async () => {
    const value = input.value;
    if (value.trim() === '') return;
    const { status, body } = await getJson('/api/complete', {
      command: input.dataset.complete,
      option: input.name,
      value,
      model: selectedModel(),
    }).catch(() => ({ status: 0, body: {} }));
    if (status !== 200 || input.value !== value) return;
    const list = $('#choices');
    list.replaceChildren(
      ...body.choices.map((c) => {
        const option = el('option');
        option.value = c.value;
        option.label = c.name;
        return option;
      }),
    );
  }, 120);
});

// ---- queries ------------------------------------------------------------------------------------

function formValues(form) {
  const values = {};
  for (const input of form.querySelectorAll('input[name], select[name]')) {
    if (input.value.trim() !== '') values[input.name] = input.value.trim();
  }
  return values;
}

function updateUrl(form) {
  const query = new URLSearchParams();
  if (selectedModel()) query.set('model', selectedModel());
  if (currentTab !== 'similar') query.set('tab', currentTab);
  const values = formValues(form);
  for (const { param, option } of state.tabs[currentTab]) {
    const value = values[option];
    if (value !== undefined && !(option === 'count' && value === '10')) query.set(param, value);
  }
  const search = query.toString();
  history.replaceState(null, '', search ? `/?${search}` : '/');
}

async function run(form) {
  const command = form.dataset.command;
  const options = formValues(form);
  if (selectedModel()) options.model = selectedModel();
  updateUrl(form);
  const seq = ++requestSeq;
  document.body.dataset.state = 'busy';
  let result;
  try {
    result = await getJson(`/api/run/${command}`, options);
  } catch {
    result = { status: 0, body: { error: 'The server could not be reached.' } };
  }
  if (seq !== requestSeq) return; // a newer query was sent meanwhile
  render(command, result);
  document.body.dataset.state = 'ready';
}

for (const form of document.querySelectorAll('form[data-command]')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(form);
  });
}

// ---- rendering ----------------------------------------------------------------------------------

/** blob: URLs of the picture on screen, released when the next answer replaces it. */
let pictureUrls = [];

/**
 * A reply's picture: the SVG drawn as an image (from a blob: URL, so it is never parsed as part of
 * the page and runs nothing) and a link to download the PNG.
 */
function picture(image) {
  const svgUrl = URL.createObjectURL(new Blob([image.svg], { type: 'image/svg+xml' }));
  const bytes = Uint8Array.from(atob(image.png), (c) => c.charCodeAt(0));
  const pngUrl = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
  pictureUrls.push(svgUrl, pngUrl);
  const figure = el('figure', undefined, 'picture');
  const img = el('img', undefined, 'plot');
  img.src = svgUrl;
  img.alt = image.alt;
  img.width = image.width;
  img.height = image.height;
  const caption = el('figcaption');
  const download = el('a', `Download PNG (${Math.ceil(bytes.length / 1024)} KiB)`, 'download');
  download.href = pngUrl;
  download.download = image.fileName;
  caption.append(download);
  figure.append(img, caption);
  return figure;
}

function render(command, { status, body }) {
  const firstAnswer = performance.getEntriesByName('wordvec:answer').length === 0;
  for (const url of pictureUrls) URL.revokeObjectURL(url);
  pictureUrls = [];
  answer.replaceChildren();
  answer.dataset.command = command;
  const reply = body.reply;
  if (!reply) {
    answer.className = 'error';
    answer.append(el('h2', 'Cannot answer'), el('p', body.error ?? `HTTP ${status}`));
    return;
  }
  answer.className = reply.error ? 'error' : '';
  answer.append(el('h2', reply.title));
  // Numbered lines ("1. pasta — 0.812") become a list; other lines are paragraphs, and those that
  // say how an out-of-vocabulary word was answered are set apart.
  let list;
  for (const line of reply.lines ?? []) {
    const numbered = /^\d+\. (.*)$/.exec(line);
    if (numbered) {
      if (!list) answer.append((list = el('ol')));
      const item = el('li', numbered[1]);
      // For `pnpm bench web`: when the first answer's first item was painted (Element Timing).
      if (firstAnswer && !list.firstChild) item.setAttribute('elementtiming', 'wordvec:answer');
      list.append(item);
    } else {
      list = undefined;
      const how = /estimated|lemma|not in the vocabulary|answered for/i.test(line);
      answer.append(el('p', line, how ? 'how' : undefined));
    }
  }
  if (reply.fields?.length) {
    const dl = el('dl');
    for (const field of reply.fields) dl.append(el('dt', field.name), el('dd', field.value));
    answer.append(dl);
  }
  if (reply.image) answer.append(picture(reply.image));
  if (reply.footer) answer.append(el('p', reply.footer, 'footer'));
  // For `pnpm bench web`: when the first answer was in the page, in ms from the start of navigation.
  if (firstAnswer) performance.mark('wordvec:answer');
}

// ---- start --------------------------------------------------------------------------------------

function start() {
  showTab(currentTab);
  const form = activeForm();
  for (const { param, option } of state.tabs[currentTab]) {
    const value = params.get(param);
    const input = form.elements.namedItem(option);
    if (value !== null && input) input.value = value;
  }
  // A shared link's answer came with the page (the server asked for it): shown before anything else.
  if (state.first) {
    render(state.first.command, state.first);
    document.body.dataset.state = 'ready';
  } else if ([...form.querySelectorAll('input[required]')].every((i) => i.value.trim() !== '')) run(form);
  else document.body.dataset.state = 'ready';
  showModels(state.models);
  hideMissingTabs();
  form.querySelector('input')?.focus();
}

start();
