// Chat widget of "Assistant Mon espace santé": a plain ES module, no dependency.
//
// Rules kept everywhere in this file:
// - every text (user, bot, server error) goes into the page as text (textContent /
//   text nodes), never through innerHTML;
// - focus is never moved to new messages: the log is a polite live region, screen
//   readers announce what is added; only the log itself scrolls;
// - nothing inline (the server's CSP forbids inline scripts, styles and handlers).
// The DOM contract used by the browser tests is described in docs/web.md.
//
// Two audiences share this file: the citizen page (/) and the France Services advisors'
// page (/accompagnement), whose chat section has data-audience="advisor". Each audience
// keeps its own history and summary sheet in sessionStorage, and its own conversation on the
// server: the server issues the conversation id in an HttpOnly cookie this file never sees.

const API_URL = '/api/chat';
const FEEDBACK_URL = '/api/feedback';
const ANSWER_ID = /^[a-z][a-z0-9_]{2,59}$/; // an answer of the bank (same rule as the server)
const MAX_CHARS = 1000; // same limit as the server and the textarea's maxlength
const COUNTER_FROM = 900; // the character counter appears above this length
const REQUEST_TIMEOUT_MS = 30000; // the server itself gives up on the assistant after 20 s
const GEO_TIMEOUT_MS = 10000;
const HISTORY_LIMIT = 200; // messages kept in sessionStorage
const SHARE_POSITION = '/share_position';
const SUMMARY_LIMITS = { sections: 20, items: 30, chars: 1000 }; // a summary sheet stays small
// Printable sheets: the summary of an accompaniment, or « Préparer ma visite » (printed more compactly).
const SUMMARY_KINDS = ['summary', 'visit'];

const $ = (id) => document.getElementById(id);
const log = $('chat-log');
const chatSection = log.closest('section') || log.parentElement;

// Who uses the page: "advisor" on /accompagnement, "citizen" otherwise (no attribute).
const AUDIENCE = chatSection.dataset.audience === 'advisor' ? 'advisor' : 'citizen';
const ADVISOR = AUDIENCE === 'advisor';
// Advisor mode: a new conversation starts with this silent message (no user bubble); the
// server's answer is the advisor's welcome, rendered as the first bot message(s).
const AUDIENCE_START = '/set_audience{"audience": "advisor"}';

// The citizen keys are unchanged; the advisor's are prefixed so that both pages never mix.
const KEY_PREFIX = ADVISOR ? 'mes-chat:advisor:' : 'mes-chat:';
const KEY_CONVERSATION = `${KEY_PREFIX}conversation`; // '1' once the server answered this tab's conversation
const KEY_OLD_SESSION = `${KEY_PREFIX}session-id`; // the id earlier versions chose themselves: removed
const KEY_HISTORY = `${KEY_PREFIX}history`;
const KEY_SUMMARY = `${KEY_PREFIX}summary`;
const KEY_STARTED = `${KEY_PREFIX}audience-started`; // advisor: the server knows the audience
const KEY_TEXT_SIZE = `${KEY_PREFIX}text-size`; // « Taille du texte », kept in localStorage (this browser)

// « Taille du texte »: a class on <html> scales the conversation and the input (chat.css).
// Read and applied first, before anything is rendered.
const TEXT_SIZES = [
  { value: 'normal', title: 'Normale', className: null },
  { value: 'lg', title: 'Grande', className: 'chat-text-lg' },
  { value: 'xl', title: 'Très grande', className: 'chat-text-xl' },
];

function loadTextSize() {
  try {
    const saved = localStorage.getItem(KEY_TEXT_SIZE);
    return TEXT_SIZES.some((size) => size.value === saved) ? saved : 'normal';
  } catch {
    return 'normal'; // localStorage blocked: the default size
  }
}

function applyTextSize(value) {
  for (const { value: v, className } of TEXT_SIZES) {
    if (className) document.documentElement.classList.toggle(className, v === value);
  }
}

applyTextSize(loadTextSize());

// All the texts the widget writes itself (French, plain and short).
const TEXTS = {
  welcome: "Bonjour, je suis l'assistant Mon espace santé. Je réponds à vos questions et je vous guide pas à pas. Que voulez-vous faire ?",
  network: 'Le service ne répond pas. Réessayez dans un instant ou appelez le 3422 (du lundi au vendredi, de 8h30 à 17h30).',
  noPosition: "Votre position n'est pas disponible. Écrivez plutôt votre code postal, par exemple 88000.",
  myPosition: 'Ma position',
  typing: "L'assistant écrit…",
  cleared: 'Conversation effacée.',
  summaryReady: 'La fiche récapitulative est prête.',
  summaryNote: 'Cette fiche ne contient aucune information personnelle.',
  summaryPrint: 'Imprimer la fiche',
  retry: 'Réessayer',
  empty: "Écrivez votre question avant d'envoyer.",
  newWindow: ' (nouvelle fenêtre)',
  counter: (n) => `${n} / ${MAX_CHARS} caractères`,
  // « Cette réponse vous a aidé ? » under each answer of the bank; « Signaler une erreur » for advisors.
  feedbackQuestion: 'Cette réponse vous a aidé ?',
  feedbackYes: 'Oui',
  feedbackNo: 'Non',
  feedbackReport: 'Signaler une erreur',
  feedbackWhy: "Qu'est-ce qui n'allait pas ?",
  feedbackWhichError: 'Quelle erreur ?',
  feedbackThanks: "Merci, c'est noté.",
  feedbackFailed: "Votre avis n'a pas pu être enregistré. Réessayez dans un instant.",
  // Reading aids: « Écouter » under each answer, « Taille du texte » above the conversation.
  listen: 'Écouter',
  stopListening: 'Arrêter',
  textSize: 'Taille du texte',
  spokenLink: 'le lien',
  // Visually hidden prefixes: who speaks is not shown by colour only.
  prefix: { user: 'Vous : ', bot: 'Assistant : ', system: 'Erreur : ' },
};

// Reasons offered after « Non » (and for « Signaler une erreur »), as the server names them.
const FEEDBACK_REASONS = [
  { reason: 'pas_ma_question', title: 'Pas ma question' },
  { reason: 'trop_complique', title: 'Trop compliqué' },
  { reason: 'information_fausse', title: 'Information fausse' },
  { reason: 'autre', title: 'Autre' },
];
// Advisors (« Signaler une erreur ») also have « Étape inexacte », before « Autre ».
const ADVISOR_REASONS = [
  ...FEEDBACK_REASONS.slice(0, -1),
  { reason: 'etape_inexacte', title: 'Étape inexacte' },
  ...FEEDBACK_REASONS.slice(-1),
];

// Quick replies of the local welcome message (no server call on first load).
const WELCOME_BUTTONS = [
  { title: 'Activer mon espace', payload: '/activation_start' },
  { title: 'Profil de mon enfant', payload: '/child_activation_start' },
  { title: 'Qui voit mes documents', payload: '/faq{"answer": "who_can_see"}' },
  { title: 'Trouver une France services', payload: '/find_france_services' },
  { title: 'Parler à un conseiller', payload: '/faq{"answer": "ask_human"}' },
];

const list = log.querySelector('ol');
const status = $('chat-status');
const form = $('chat-form');
const input = $('chat-input');
const sendButton = $('chat-send');
const clearButton = $('chat-clear');
const counter = $('chat-counter');
const inputGroup = $('chat-input-group');
const inputError = $('chat-input-error');
const consent = $('chat-consent');
const consentHome = $('chat-consent-home');

let busy = false; // one request at a time
let generation = 0; // bumped by "Effacer": late answers of an erased conversation are dropped
let consentOrigin = null; // the "/share_position" button that opened the consent panel
let startError = null; // advisor: the error message of a failed silent start, if shown
let feedbackCount = 0; // numbers the feedback controls (their ids)

// ---- Storage (sessionStorage: this browser tab only) ----------------------------------

const memory = new Map(); // fallback when sessionStorage is unavailable (blocked, private mode)

function storeGet(key) {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function storeSet(key, value) {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    memory.set(key, value);
  }
}

function storeRemove(key) {
  try {
    sessionStorage.removeItem(key);
  } catch {
    /* nothing stored */
  }
  memory.delete(key);
}

// Keep only well-formed buttons: {title, payload}, both non-empty strings.
function cleanButtons(buttons) {
  if (!Array.isArray(buttons)) return [];
  return buttons
    .filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string')
    .filter((b) => b.title.trim() && b.payload.trim())
    .map((b) => ({ title: b.title, payload: b.payload }));
}

// A bot message of the answer bank keeps its answer's id (and whether feedback was given on it).
function cleanEntry(entry) {
  if (!entry || !['user', 'bot'].includes(entry.role)) return null;
  const text = typeof entry.text === 'string' ? entry.text : '';
  const buttons = cleanButtons(entry.buttons);
  if (!text && !buttons.length) return null;
  const cleaned = { role: entry.role, text, buttons };
  if (entry.role === 'bot' && typeof entry.answerId === 'string' && ANSWER_ID.test(entry.answerId)) {
    cleaned.answerId = entry.answerId;
    if (entry.feedbackGiven === true) cleaned.feedbackGiven = true;
  }
  return cleaned;
}

function loadHistory() {
  try {
    const saved = JSON.parse(storeGet(KEY_HISTORY) || '[]');
    return Array.isArray(saved) ? saved.map(cleanEntry).filter(Boolean) : [];
  } catch {
    return [];
  }
}

// A summary sheet: {title, date, sections: [{heading, items: [str]}]}, strings only.
// Anything else is ignored (null); sizes are bounded; empty items and sections are dropped.
function cleanSummary(summary) {
  if (!summary || typeof summary !== 'object' || Array.isArray(summary)) return null;
  const { title, date, sections } = summary;
  if (typeof title !== 'string' || !title.trim() || !Array.isArray(sections)) return null;
  const clip = (text) => text.slice(0, SUMMARY_LIMITS.chars);
  const cleaned = [];
  for (const section of sections.slice(0, SUMMARY_LIMITS.sections)) {
    if (!section || typeof section !== 'object' || typeof section.heading !== 'string') continue;
    const items = Array.isArray(section.items)
      ? section.items.filter((item) => typeof item === 'string' && item.trim()).slice(0, SUMMARY_LIMITS.items).map(clip)
      : [];
    if (section.heading.trim() || items.length) cleaned.push({ heading: clip(section.heading), items });
  }
  const kind = SUMMARY_KINDS.includes(summary.kind) ? summary.kind : 'summary';
  return { title: clip(title), date: typeof date === 'string' ? clip(date) : '', sections: cleaned, kind };
}

function loadSummary() {
  try {
    return cleanSummary(JSON.parse(storeGet(KEY_SUMMARY) || 'null'));
  } catch {
    return null;
  }
}

let history = loadHistory();
// Advisor mode: true until the server has answered the silent start of this conversation.
let audiencePending = ADVISOR && storeGet(KEY_STARTED) !== '1';

function remember(entry) {
  history.push(entry);
  history = history.slice(-HISTORY_LIMIT);
  saveHistory();
}

function saveHistory() {
  storeSet(KEY_HISTORY, JSON.stringify(history));
}

// ---- Rendering (text only) ------------------------------------------------------------

// Remove all children (Element.replaceChildren is missing before Safari 14).
function empty(node) {
  while (node.firstChild) node.firstChild.remove();
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// http(s) URLs only; other schemes (javascript:, data:…) never match and stay text.
const URL_PATTERN = /https?:\/\/[^\s<>"«»]+/gi;
const TRAILING = /[.,;:!?»)\]'"]$/;

// Drop punctuation glued to the end of a URL ("(voir https://x.fr)." → "https://x.fr"),
// but keep a closing parenthesis that belongs to the URL ("…/Foo_(bar)").
function trimUrl(raw) {
  let url = raw;
  while (TRAILING.test(url)) {
    if (url.endsWith(')') && url.split('(').length >= url.split(')').length) break;
    url = url.slice(0, -1);
  }
  return url;
}

function safeHttpUrl(text) {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

function link(url, href) {
  const a = el('a', null, url);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.append(el('span', 'fr-sr-only', TEXTS.newWindow));
  return a;
}

// Append text to `parent`, turning http(s) URLs into links when `withLinks`.
// Line breaks are kept by CSS (white-space: pre-line).
function appendText(parent, text, withLinks) {
  if (!withLinks) {
    parent.append(document.createTextNode(text));
    return;
  }
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0]);
    const href = safeHttpUrl(url);
    if (!href) continue;
    parent.append(document.createTextNode(text.slice(last, match.index)));
    parent.append(link(url, href));
    last = match.index + url.length;
  }
  parent.append(document.createTextNode(text.slice(last)));
}

function buttonList(className, buttons) {
  const ul = el('ul', className);
  for (const button of buttons) {
    const li = el('li');
    li.append(button);
    ul.append(li);
  }
  return ul;
}

function quickReplies(buttons) {
  return buttonList(
    'chat-quick-replies',
    buttons.map(({ title, payload }) => {
      const button = el('button', 'fr-btn fr-btn--secondary fr-btn--sm', title);
      button.type = 'button';
      button.dataset.payload = payload;
      return button;
    }),
  );
}

// ---- « Écouter »: the browser's own speech synthesis (nothing is sent anywhere) ---------

// No button at all where the browser cannot speak.
const CAN_SPEAK = 'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined';
let reading = null; // {button, utterance} of the message being read aloud

// The text as shown, with each URL said « le lien » (not spelt out letter by letter).
function spokenText(text) {
  return text.replace(URL_PATTERN, (match) => {
    const url = trimUrl(match);
    return `${TEXTS.spokenLink}${match.slice(url.length)}`;
  });
}

function frenchVoice() {
  let voices = [];
  try {
    voices = speechSynthesis.getVoices() || [];
  } catch {
    voices = [];
  }
  return voices.find((v) => v.lang === 'fr-FR') || voices.find((v) => /^fr([-_]|$)/i.test(v.lang || '')) || null;
}

function setListening(button, on) {
  button.textContent = on ? TEXTS.stopListening : TEXTS.listen;
  button.classList.toggle('fr-icon-volume-up-line', !on);
  button.classList.toggle('fr-icon-stop-circle-line', on);
}

// Stop the current reading, if any (its button says « Écouter » again).
function stopReading() {
  if (reading) setListening(reading.button, false);
  reading = null;
  speechSynthesis.cancel();
}

// « Écouter » reads the message; pressed again (or another « Écouter »), it stops the reading.
function toggleReading(button, text) {
  const same = reading?.button === button;
  stopReading();
  if (same) return;
  const utterance = new SpeechSynthesisUtterance(spokenText(text));
  utterance.lang = 'fr-FR';
  const voice = frenchVoice();
  if (voice) utterance.voice = voice;
  utterance.rate = 0.9;
  const done = () => {
    if (reading?.utterance !== utterance) return; // a later reading replaced this one
    reading = null;
    setListening(button, false);
  };
  utterance.onend = done;
  utterance.onerror = done;
  reading = { button, utterance };
  setListening(button, true);
  speechSynthesis.speak(utterance);
}

function listenButton(text) {
  const classes = 'fr-btn fr-btn--tertiary fr-btn--sm fr-btn--icon-left fr-icon-volume-up-line';
  const button = el('button', classes, TEXTS.listen);
  button.type = 'button';
  button.addEventListener('click', () => toggleReading(button, text));
  const wrapper = el('div', 'chat-listen');
  wrapper.append(button);
  return wrapper;
}

// ---- « Taille du texte » (DSFR segmented control, above the conversation) ---------------

function textSizeControl() {
  const current = loadTextSize();
  const fieldset = el('fieldset', 'fr-segmented fr-segmented--sm chat-text-size');
  fieldset.append(el('legend', 'fr-segmented__legend fr-segmented__legend--inline', TEXTS.textSize));
  const elements = el('div', 'fr-segmented__elements');
  for (const { value, title } of TEXT_SIZES) {
    const item = el('div', 'fr-segmented__element');
    const radio = el('input');
    radio.type = 'radio';
    radio.name = 'chat-text-size';
    radio.id = `chat-text-size-${value}`;
    radio.value = value;
    radio.checked = value === current;
    const label = el('label', 'fr-label', title);
    label.htmlFor = radio.id;
    item.append(radio, label);
    elements.append(item);
  }
  fieldset.append(elements);
  fieldset.addEventListener('change', (event) => {
    const { value } = event.target;
    if (!TEXT_SIZES.some((size) => size.value === value)) return;
    applyTextSize(value);
    try {
      localStorage.setItem(KEY_TEXT_SIZE, value);
    } catch {
      /* not kept: the size stays for this page only */
    }
  });
  return fieldset;
}

// One <li> per message: data-role="user|bot|system", a bubble with a visually hidden
// prefix, then (bot, where the browser can speak) « Écouter », then the quick replies (if any)
// under it, then, under an answer of the bank, « Cette réponse vous a aidé ? » (until it is answered).
function renderMessage(entry) {
  const { role, text, buttons = [] } = entry;
  const li = el('li', `chat-msg chat-msg--${role}`);
  li.dataset.role = role;
  if (text) {
    const bubble = el('div', 'chat-msg__bubble');
    const p = el('p', 'chat-msg__text');
    if (role === 'system') p.classList.add('fr-icon-error-warning-line');
    p.append(el('span', 'fr-sr-only', TEXTS.prefix[role]));
    appendText(p, text, role === 'bot');
    bubble.append(p);
    li.append(bubble);
    if (role === 'bot' && CAN_SPEAK) li.append(listenButton(text));
  }
  if (buttons.length) li.append(quickReplies(buttons));
  if (role === 'bot' && entry.answerId && !entry.feedbackGiven) li.append(feedbackControl(entry));
  list.append(li);
  return li;
}

function addMessage(entry) {
  const li = renderMessage(entry);
  remember(entry);
  return li;
}

// Scroll the log (never the focus) so that the new messages are seen from their start.
function scrollToMessage(li) {
  const max = log.scrollHeight - log.clientHeight;
  if (max > 0 && li) log.scrollTop = Math.min(Math.max(li.offsetTop - 8, 0), max);
}

function renderWelcome() {
  renderMessage({ role: 'bot', text: TEXTS.welcome, buttons: WELCOME_BUTTONS });
}

// ---- Status line: typing indicator and short confirmations ---------------------------

function showStatus(node) {
  empty(status);
  status.append(node);
}

// `keep`: add the indicator after the current status (« Conversation effacée. ») instead of
// replacing it, so that the confirmation is not cut off by the advisor's silent restart.
function showTyping(keep = false) {
  const p = el('p', 'chat-typing', TEXTS.typing);
  p.id = 'chat-typing';
  const dots = el('span', 'chat-typing__dots');
  dots.setAttribute('aria-hidden', 'true');
  dots.append(el('span'), el('span'), el('span'));
  p.append(dots);
  if (keep) {
    hideTyping();
    status.append(p);
  } else {
    showStatus(p); // inserted once per request: announced once
  }
}

function hideTyping() {
  $('chat-typing')?.remove();
}

// The send button is "disabled" with aria-disabled so that it keeps the keyboard focus.
function setBusy(value) {
  busy = value;
  if (value) sendButton.setAttribute('aria-disabled', 'true');
  else sendButton.removeAttribute('aria-disabled');
}

// ---- Summary sheet (outside the log, printed alone by print.css) ---------------------

// <section id="summary"> right after the chat section: title, date, one <h3> and <ul> per
// section, a note and « Imprimer la fiche ». Replaced by each new summary; text only.
function renderSummary(summary) {
  removeSummary();
  const section = el('section', `chat-summary chat-summary--${summary.kind || 'summary'} fr-mt-6w`);
  section.id = 'summary';
  section.setAttribute('aria-labelledby', 'summary-title');
  const title = el('h2', 'chat-summary__title', summary.title);
  title.id = 'summary-title';
  section.append(title);
  if (summary.date) section.append(el('p', 'chat-summary__date', summary.date));
  for (const { heading, items } of summary.sections) {
    const part = el('div', 'chat-summary__section');
    if (heading) part.append(el('h3', 'chat-summary__heading', heading));
    if (items.length) {
      const ul = el('ul', 'chat-summary__items');
      for (const item of items) {
        const li = el('li');
        appendText(li, item, true);
        ul.append(li);
      }
      part.append(ul);
    }
    section.append(part);
  }
  section.append(el('p', 'chat-summary__note', TEXTS.summaryNote));
  const print = el('button', 'fr-btn fr-icon-printer-line fr-btn--icon-left', TEXTS.summaryPrint);
  print.type = 'button';
  print.id = 'summary-print';
  print.addEventListener('click', () => window.print());
  section.append(buttonList('chat-summary__actions', [print]));
  chatSection.after(section);
  // print.css prints the sheet alone only when there is one.
  document.documentElement.classList.add('chat-has-summary');
}

function removeSummary() {
  $('summary')?.remove();
  document.documentElement.classList.remove('chat-has-summary');
}

// A new summary: shown, kept for a reload, announced politely; the focus does not move.
function showSummary(summary) {
  renderSummary(summary);
  storeSet(KEY_SUMMARY, JSON.stringify(summary));
  showStatus(el('p', null, TEXTS.summaryReady));
}

// ---- « Cette réponse vous a aidé ? » ----------------------------------------------------

// Under an answer of the bank: « Cette réponse vous a aidé ? » Oui / Non (advisors: one
// « Signaler une erreur » button). « Non » (or « Signaler une erreur ») shows the reasons and
// moves the focus to the first one: it answers the person's own click, like the consent panel.
// One feedback per answer: once it is sent, the buttons are aria-disabled (the focus stays on
// the clicked one, which is aria-pressed) and « Merci, c'est noté. » is written in the
// control's polite live region. Only the answer's id, yes/no and the reason are sent.
function feedbackControl(entry) {
  feedbackCount += 1;
  const id = `chat-feedback-${feedbackCount}`;
  const control = el('div', 'chat-feedback');
  const live = el('p', 'chat-feedback__status');
  live.setAttribute('role', 'status'); // present (empty) from the start, so that its text is announced
  const first = ADVISOR
    ? [feedbackButton(TEXTS.feedbackReport, 'report', 'fr-icon-flag-line fr-btn--icon-left')]
    : [feedbackButton(TEXTS.feedbackYes, 'yes'), feedbackButton(TEXTS.feedbackNo, 'no')];
  const choices = buttonList('chat-feedback__buttons', first);
  if (!ADVISOR) {
    const question = el('p', 'chat-feedback__question', TEXTS.feedbackQuestion);
    question.id = `${id}-question`;
    control.setAttribute('role', 'group');
    control.setAttribute('aria-labelledby', question.id);
    control.append(question);
  }
  control.append(choices, live);
  for (const button of first) {
    button.addEventListener('click', () => {
      if (isOff(button)) return;
      if (button.dataset.feedback === 'yes') {
        sendFeedback(entry, control, button, true, null);
        return;
      }
      setOff(first, true);
      button.setAttribute('aria-pressed', 'true');
      showReasons(entry, control, `${id}-why`);
    });
  }
  return control;
}

function feedbackButton(title, value, extra = '') {
  const button = el('button', `fr-btn fr-btn--tertiary fr-btn--sm ${extra}`.trim(), title);
  button.type = 'button';
  button.dataset.feedback = value;
  return button;
}

// The reasons, in a labelled group before the live region; the focus goes to the first one.
function showReasons(entry, control, id) {
  const group = el('div', 'chat-feedback__why');
  group.setAttribute('role', 'group');
  const label = el('p', 'chat-feedback__question', ADVISOR ? TEXTS.feedbackWhichError : TEXTS.feedbackWhy);
  label.id = id;
  group.setAttribute('aria-labelledby', id);
  const reasons = (ADVISOR ? ADVISOR_REASONS : FEEDBACK_REASONS).map(({ reason, title }) =>
    feedbackButton(title, reason),
  );
  for (const button of reasons) {
    button.addEventListener('click', () => {
      if (!isOff(button)) sendFeedback(entry, control, button, false, button.dataset.feedback);
    });
  }
  group.append(label, buttonList('chat-feedback__buttons', reasons));
  control.querySelector('.chat-feedback__status').before(group);
  reasons[0].focus();
}

const isOff = (button) => button.getAttribute('aria-disabled') === 'true';

// aria-disabled, not disabled: a button keeps the keyboard focus (as the send button does).
function setOff(buttons, off) {
  for (const button of buttons) {
    if (off) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
  }
}

// Send once; on failure the buttons come back and the error is said in the live region.
async function sendFeedback(entry, control, clicked, helpful, reason) {
  const live = control.querySelector('.chat-feedback__status');
  const buttons = [...clicked.closest('ul').querySelectorAll('button')];
  setOff(buttons, true);
  live.textContent = '';
  const result = await postFeedback(entry.answerId, helpful, reason);
  if (!result.ok) {
    setOff(buttons, false);
    live.textContent = result.error;
    return;
  }
  clicked.setAttribute('aria-pressed', 'true');
  entry.feedbackGiven = true; // not offered again after a reload
  if (history.includes(entry)) saveHistory();
  live.textContent = TEXTS.feedbackThanks;
}

// POST /api/feedback. Resolves to {ok: true} or {ok: false, error: "<French sentence>"}.
async function postFeedback(answerId, helpful, reason) {
  const body = { answer_id: answerId, helpful, reason };
  if (ADVISOR) body.audience = 'advisor';
  const { status, answer } = await postJson(FEEDBACK_URL, body);
  if (status >= 200 && status < 300) return { ok: true };
  const error = answer && typeof answer.error === 'string' && answer.error.trim();
  return { ok: false, error: error || TEXTS.feedbackFailed };
}

// POST a JSON body to the site. Resolves to {status, answer}: the HTTP status (0 on a network failure or
// timeout) and the JSON answer (null when there is none or it is not JSON).
async function postJson(url, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: controller.signal,
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch {
      answer = null; // not JSON
    }
    return { status: response.status, answer };
  } catch {
    return { status: 0, answer: null }; // network failure or timeout
  } finally {
    clearTimeout(timer);
  }
}

// ---- Talking to the server --------------------------------------------------------------

// One bot message: {entry, summary}; entry (text and buttons, kept in the history) or
// summary may be null, not both.
function cleanBotMessage(message) {
  if (!message || typeof message !== 'object') return null;
  const entry = cleanEntry({ role: 'bot', text: message.text, buttons: message.buttons, answerId: message.answer_id });
  const summary = cleanSummary(message.summary);
  return entry || summary ? { entry, summary } : null;
}

// POST /api/chat. Resolves to {ok: true, messages, redacted} or {ok: false, error: "<French sentence>"};
// `redacted`: the message as the server kept it when it masked personal data in it, else null.
// The conversation is the server's (its cookie): the page only says which audience it is and,
// when this tab has none yet (first message, or after « Effacer »), that a new one starts.
async function postChat(message) {
  const body = { message };
  if (ADVISOR) body.audience = 'advisor';
  if (storeGet(KEY_CONVERSATION) !== '1') body.new_conversation = true;
  const { status, answer } = await postJson(API_URL, body);
  if (status === 200 && answer && Array.isArray(answer.messages)) {
    const redacted = typeof answer.redacted === 'string' && answer.redacted.trim() ? answer.redacted : null;
    return { ok: true, messages: answer.messages.map(cleanBotMessage).filter(Boolean), redacted };
  }
  if (status !== 200 && answer && typeof answer.error === 'string' && answer.error.trim()) {
    return { ok: false, error: answer.error.trim() };
  }
  return { ok: false, error: TEXTS.network };
}

// Show `shown` on the user side, then send `message` (a typed text or a payload).
// `typed`: the text came from the input, so it goes back there if sending fails.
// The user's message is kept in the history only once the server has answered, as the server
// kept it: with personal data masked (see keepUserMessage).
function send(message, shown, typed = false) {
  if (busy) return false;
  if (consentOrigin) closeConsent(); // another answer was chosen: the position question is over
  const entry = { role: 'user', text: shown, buttons: [] };
  const li = renderMessage(entry);
  scrollToMessage(li);
  request(message, typed, false, { entry, li });
  return true;
}

// Replace the text of a message's bubble (text only).
function setBubbleText(li, role, text) {
  const p = li.querySelector('.chat-msg__text');
  if (!p) return;
  empty(p);
  p.append(el('span', 'fr-sr-only', TEXTS.prefix[role]));
  appendText(p, text, role === 'bot');
}

// The server answered the user's message: store it, and if the server masked personal data in a
// typed text, show and store that masked text instead (what was typed is kept nowhere).
function keepUserMessage(pending, typed, redacted) {
  if (typed && redacted && redacted !== pending.entry.text) {
    pending.entry.text = redacted;
    setBubbleText(pending.li, 'user', redacted);
  }
  remember(pending.entry);
}

// Append the bot messages of one answer; show its last summary sheet, if any.
// Returns the first new <li> (or null).
function showReplies(messages) {
  let first = null;
  let summary = null;
  for (const { entry, summary: sheet } of messages) {
    if (entry) {
      const li = addMessage(entry);
      first = first || li;
    }
    summary = sheet || summary;
  }
  if (summary) showSummary(summary);
  return first;
}

// Send `message` (null: nothing but the advisor's silent start). In advisor mode, while the
// server has not yet answered the silent start, it is sent first (no user bubble), then
// `message`; « Réessayer » on an error retries whatever is left.
// `keepStatus`: the typing indicator is added after the current status line.
// `pending`: the user's bubble of `message` and its entry, stored once the server answers.
async function request(message, typed, keepStatus = false, pending = null) {
  const steps = [];
  if (audiencePending) steps.push(AUDIENCE_START);
  if (message !== null) steps.push(message);
  if (!steps.length) return;
  if (audiencePending) {
    startError?.remove(); // the start is being retried now
    startError = null;
  }
  const gen = generation;
  setBusy(true);
  showTyping(keepStatus);
  let first = null;
  for (const [index, step] of steps.entries()) {
    const result = await postChat(step);
    if (gen !== generation) return; // the conversation was erased meanwhile
    if (!result.ok) {
      hideTyping();
      setBusy(false);
      const li = showError(result.error, message, typed, pending);
      if (message === null) startError = li;
      return;
    }
    storeSet(KEY_CONVERSATION, '1'); // the server's cookie now names this tab's conversation
    if (step === AUDIENCE_START) {
      audiencePending = false;
      storeSet(KEY_STARTED, '1');
    }
    if (pending && index === steps.length - 1) keepUserMessage(pending, typed, result.redacted);
    const shown = showReplies(result.messages);
    first = first || shown;
  }
  hideTyping();
  setBusy(false);
  scrollToMessage(first);
}

// A system message (role="alert" on its text) with a "Réessayer" button.
// The user's typed text is never lost: it goes back into the input if the input is empty.
function showError(text, message, typed, pending = null) {
  if (typed && input.value === '') {
    input.value = message;
    updateCounter();
  }
  const li = renderMessage({ role: 'system', text }); // not kept in the history
  li.querySelector('.chat-msg__text').setAttribute('role', 'alert');
  const retry = el('button', 'fr-btn fr-btn--secondary fr-btn--sm', TEXTS.retry);
  retry.type = 'button';
  retry.addEventListener('click', () => {
    if (busy) return;
    // The message is sent again (it is already shown on the user side). The error
    // disappears with its button, so the focus goes to the input.
    if (typed && input.value === message) {
      input.value = '';
      updateCounter();
    }
    li.remove();
    if (li === startError) startError = null;
    input.focus();
    request(message, typed, false, pending);
  });
  li.append(buttonList('chat-actions', [retry]));
  scrollToMessage(li);
  return li;
}

// ---- Quick replies and position ------------------------------------------------------

function choose(button) {
  const payload = button.dataset.payload || button.dataset.chatPayload;
  if (!payload || busy) return;
  if (payload === SHARE_POSITION && log.contains(button)) {
    openConsent(button);
    return;
  }
  // data-chat-shown: what the user side shows instead of the button's own title.
  send(payload, button.dataset.chatShown || button.textContent.trim());
}

// The consent panel is moved right after the list holding the clicked button and, as it
// answers the person's own click and waits for a choice (like a small dialog), focus goes
// to « Partager ma position ». Closing it gives focus back to the clicked button.
function openConsent(button) {
  consentOrigin = button;
  button.closest('ul').after(consent);
  consent.classList.remove('fr-hidden');
  const max = log.scrollHeight - log.clientHeight;
  if (max > 0) log.scrollTop = Math.min(consent.offsetTop + consent.offsetHeight - log.clientHeight + 16, max);
  $('chat-consent-yes').focus();
}

// Hide the panel and put it back in its home (so that "Effacer" never deletes it).
// If the focus was in the panel, it goes back to the button that opened it.
function closeConsent() {
  const hadFocus = consent.contains(document.activeElement);
  consent.classList.add('fr-hidden');
  consentHome.append(consent);
  if (hadFocus && consentOrigin?.isConnected) consentOrigin.focus();
  consentOrigin = null;
}

function positionUnavailable() {
  scrollToMessage(addMessage({ role: 'bot', text: TEXTS.noPosition, buttons: [] }));
}

// About 1 km (2 decimals): enough to find the nearest desk, too coarse to point at a home.
const round2 = (x) => Math.round(x * 100) / 100;

function sharePosition() {
  closeConsent();
  if (!navigator.geolocation) {
    positionUnavailable();
    return;
  }
  const gen = generation;
  navigator.geolocation.getCurrentPosition(
    ({ coords }) => {
      if (gen !== generation) return; // the conversation was erased meanwhile
      const latitude = round2(coords.latitude);
      const longitude = round2(coords.longitude);
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
        positionUnavailable();
        return;
      }
      // Only the rounded coordinates are sent; the history keeps "Ma position" only.
      send(`${SHARE_POSITION}{"latitude": ${latitude}, "longitude": ${longitude}}`, TEXTS.myPosition);
    },
    () => {
      if (gen === generation) positionUnavailable();
    },
    { timeout: GEO_TIMEOUT_MS, maximumAge: 60000, enableHighAccuracy: false },
  );
}

// ---- Form ----------------------------------------------------------------------------

function updateCounter() {
  const n = input.value.length;
  const show = n > COUNTER_FROM;
  counter.classList.toggle('fr-hidden', !show);
  counter.textContent = show ? TEXTS.counter(n) : '';
}

function showInputError(show) {
  inputGroup.classList.toggle('fr-input-group--error', show);
  input.classList.toggle('fr-input--error', show);
  if (show) {
    input.setAttribute('aria-invalid', 'true');
    // inputError is a polite live region: the sentence is announced when inserted.
    if (!inputError.firstChild) inputError.append(el('p', 'fr-error-text', TEXTS.empty));
  } else {
    input.removeAttribute('aria-invalid');
    empty(inputError);
  }
}

function submitInput() {
  if (busy) return;
  const text = input.value.trim().slice(0, MAX_CHARS);
  if (!text) {
    showInputError(true);
    return;
  }
  showInputError(false);
  input.value = '';
  updateCounter();
  send(text, text, true);
}

function clearConversation() {
  generation += 1;
  if (CAN_SPEAK) stopReading();
  setBusy(false);
  closeConsent();
  history = [];
  storeRemove(KEY_HISTORY);
  storeRemove(KEY_SUMMARY);
  storeRemove(KEY_STARTED);
  storeRemove(KEY_CONVERSATION); // the next message starts a new conversation on the server
  empty(list);
  startError = null;
  removeSummary();
  log.scrollTop = 0;
  showInputError(false);
  showStatus(el('p', null, TEXTS.cleared));
  if (ADVISOR) {
    // A new session: the server must be told the audience again (silently).
    audiencePending = true;
    request(null, false, true);
  } else {
    renderWelcome();
  }
  // The focus stays on the "Effacer la conversation" button.
}

// ---- Wiring ----------------------------------------------------------------------------

form.addEventListener('submit', (event) => {
  event.preventDefault();
  submitInput();
});

// Enter sends, Shift+Enter makes a new line (and nothing is sent while composing with an IME).
input.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  submitInput();
});

input.addEventListener('input', () => {
  updateCounter();
  if (input.value.trim()) showInputError(false);
});

clearButton.addEventListener('click', clearConversation);

log.addEventListener('click', (event) => {
  const button = event.target.closest('.chat-quick-replies button[data-payload]');
  if (button) choose(button);
});

$('chat-consent-yes').addEventListener('click', sharePosition);
$('chat-consent-no').addEventListener('click', () => {
  closeConsent();
  positionUnavailable();
});

// Buttons elsewhere in the page that send a payload into the chat (hidden without JS).
for (const button of document.querySelectorAll('[data-chat-payload]')) {
  button.classList.remove('fr-hidden');
  button.addEventListener('click', () => {
    if (busy) return;
    choose(button);
    log.scrollIntoView({ block: 'nearest' });
  });
}

// « Taille du texte » right under the chat's title (the size itself is applied at the top of this file).
const chatTitle = $('chat-title');
if (chatTitle) chatTitle.after(textSizeControl());
else log.before(textSizeControl());
// A reading never goes on after the page is left.
if (CAN_SPEAK) window.addEventListener('pagehide', () => speechSynthesis.cancel());

// First display. Citizen: the local welcome message, then this tab's saved conversation.
// Advisor: the saved conversation (its first messages are the server's advisor welcome);
// a new conversation starts with the silent /set_audience message instead of a welcome.
storeRemove(KEY_OLD_SESSION);
// A tab that shows no conversation starts a new one with its first message (even if the browser's
// cookie names the conversation of another tab).
if (!history.length) storeRemove(KEY_CONVERSATION);
if (!ADVISOR) renderWelcome();
for (const entry of history) renderMessage(entry);
log.scrollTop = log.scrollHeight;
const savedSummary = loadSummary();
if (savedSummary) renderSummary(savedSummary); // not announced again
updateCounter();
if (audiencePending) request(null, false);
