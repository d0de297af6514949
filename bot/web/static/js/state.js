// Who uses the page, what this tab keeps (sessionStorage: this browser tab only) and the widget's
// shared state (one request at a time, the conversation's generation, the history).
//
// Two audiences share the widget: the citizen page (/) and the France Services advisors' page
// (/accompagnement), whose chat section has data-audience="advisor". Each audience keeps its own
// history and summary sheet in sessionStorage, and its own conversation on the server: the server
// issues the conversation id in an HttpOnly cookie the page never sees.

import { chatSection } from './dom.js';

// Who uses the page: "advisor" on /accompagnement, "citizen" otherwise (no attribute).
const AUDIENCE = chatSection.dataset.audience === 'advisor' ? 'advisor' : 'citizen';
export const ADVISOR = AUDIENCE === 'advisor';
// Advisor mode: a new conversation starts with this silent message (no user bubble); the
// server's answer is the advisor's welcome, rendered as the first bot message(s).
export const AUDIENCE_START = '/set_audience{"audience": "advisor"}';

// The citizen keys are unchanged; the advisor's are prefixed so that both pages never mix.
const KEY_PREFIX = ADVISOR ? 'mes-chat:advisor:' : 'mes-chat:';
export const KEY_CONVERSATION = `${KEY_PREFIX}conversation`; // '1' once the server answered this tab's conversation
export const KEY_OLD_SESSION = `${KEY_PREFIX}session-id`; // the id earlier versions chose themselves: removed
export const KEY_HISTORY = `${KEY_PREFIX}history`;
export const KEY_SUMMARY = `${KEY_PREFIX}summary`;
export const KEY_STARTED = `${KEY_PREFIX}audience-started`; // advisor: the server knows the audience
export const KEY_TEXT_SIZE = `${KEY_PREFIX}text-size`; // « Taille du texte », kept in localStorage (this browser)

const ANSWER_ID = /^[a-z][a-z0-9_]{2,59}$/; // an answer of the bank (same rule as the server)
const HISTORY_LIMIT = 200; // messages kept in sessionStorage
// The site's own limits (bot/web/app.py MAX_SUMMARY_*), applied again to what this tab stored;
// tests/web/test_assets.py checks they are the same numbers.
const SUMMARY_LIMITS = { sections: 8, items: 20, chars: 500 };
// Printable sheets: the summary of an accompaniment, or « Préparer ma visite » (printed more compactly).
const SUMMARY_KINDS = ['summary', 'visit'];

// ---- Storage (sessionStorage: this browser tab only) ----------------------------------

const memory = new Map(); // fallback when sessionStorage is unavailable (blocked, private mode)

export function storeGet(key) {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

export function storeSet(key, value) {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    memory.set(key, value);
  }
}

export function storeRemove(key) {
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
export function cleanEntry(entry) {
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
export function cleanSummary(summary) {
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

export function loadSummary() {
  try {
    return cleanSummary(JSON.parse(storeGet(KEY_SUMMARY) || 'null'));
  } catch {
    return null;
  }
}

// What the modules share and change (a module cannot assign another module's variables).
export const state = {
  busy: false, // one request at a time
  generation: 0, // bumped by "Effacer": late answers of an erased conversation are dropped
  history: loadHistory(),
  // Advisor mode: true until the server has answered the silent start of this conversation.
  audiencePending: ADVISOR && storeGet(KEY_STARTED) !== '1',
};

export function remember(entry) {
  state.history.push(entry);
  state.history = state.history.slice(-HISTORY_LIMIT);
  saveHistory();
}

export function saveHistory() {
  storeSet(KEY_HISTORY, JSON.stringify(state.history));
}
