// The calls to the site: POST /api/chat (a message, the answer's bot messages) and POST /api/feedback.
// Server contract: docs/web.md.

import { ADVISOR, cleanEntry, cleanSummary, KEY_CONVERSATION, storeGet } from './state.js';
import { TEXTS } from './texts.js';

const API_URL = '/api/chat';
const FEEDBACK_URL = '/api/feedback';
const REQUEST_TIMEOUT_MS = 30000; // the server itself gives up on the assistant after 20 s

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

// POST /api/feedback. Resolves to {ok: true} or {ok: false, error: "<French sentence>"}.
export async function postFeedback(answerId, helpful, reason) {
  const body = { answer_id: answerId, helpful, reason };
  if (ADVISOR) body.audience = 'advisor';
  const { status, answer } = await postJson(FEEDBACK_URL, body);
  if (status >= 200 && status < 300) return { ok: true };
  const error = answer && typeof answer.error === 'string' && answer.error.trim();
  return { ok: false, error: error || TEXTS.feedbackFailed };
}

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
export async function postChat(message) {
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
