// The conversation: sending a message (typed, a quick reply or a page button), the answers, errors
// and « Réessayer », the advisors' silent start, the input's counter and error, « Effacer ».

import { postChat } from './api.js';
import { $, buttonList, el, empty, log } from './dom.js';
import { closeConsent, consentOpen, openConsent, SHARE_POSITION } from './position.js';
import { CAN_SPEAK, stopReading } from './reading.js';
import {
  addMessage,
  emptyLog,
  hideTyping,
  renderMessage,
  renderWelcome,
  scrollToMessage,
  setBubbleText,
  setBusy,
  showStatus,
  showTyping,
} from './render.js';
import {
  ADVISOR,
  AUDIENCE_START,
  KEY_CONVERSATION,
  KEY_HISTORY,
  KEY_STARTED,
  KEY_SUMMARY,
  remember,
  state,
  storeRemove,
  storeSet,
} from './state.js';
import { removeSummary, showSummary } from './summary.js';
import { MAX_CHARS, TEXTS } from './texts.js';

const COUNTER_FROM = 900; // the character counter appears above this length

export const input = $('chat-input');
const counter = $('chat-counter');
const inputGroup = $('chat-input-group');
const inputError = $('chat-input-error');

let startError = null; // advisor: the error message of a failed silent start, if shown

// Show `shown` on the user side, then send `message` (a typed text or a payload).
// `typed`: the text came from the input, so it goes back there if sending fails.
// The user's message is kept in the history only once the server has answered, as the server
// kept it: with personal data masked (see keepUserMessage).
export function send(message, shown, typed = false) {
  if (state.busy) return false;
  if (consentOpen()) closeConsent(); // another answer was chosen: the position question is over
  const entry = { role: 'user', text: shown, buttons: [] };
  const li = renderMessage(entry);
  scrollToMessage(li);
  request(message, typed, false, { entry, li });
  return true;
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
export async function request(message, typed, keepStatus = false, pending = null) {
  const steps = [];
  if (state.audiencePending) steps.push(AUDIENCE_START);
  if (message !== null) steps.push(message);
  if (!steps.length) return;
  if (state.audiencePending) {
    startError?.remove(); // the start is being retried now
    startError = null;
  }
  const gen = state.generation;
  setBusy(true);
  showTyping(keepStatus);
  let first = null;
  for (const [index, step] of steps.entries()) {
    const result = await postChat(step);
    if (gen !== state.generation) return; // the conversation was erased meanwhile
    if (!result.ok) {
      hideTyping();
      setBusy(false);
      const li = showError(result.error, message, typed, pending);
      if (message === null) startError = li;
      return;
    }
    storeSet(KEY_CONVERSATION, '1'); // the server's cookie now names this tab's conversation
    if (step === AUDIENCE_START) {
      state.audiencePending = false;
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
    if (state.busy) return;
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

// A quick reply or a page button (data-chat-payload): send its payload, or open the consent panel.
export function choose(button) {
  const payload = button.dataset.payload || button.dataset.chatPayload;
  if (!payload || state.busy) return;
  if (payload === SHARE_POSITION && log.contains(button)) {
    openConsent(button);
    return;
  }
  // data-chat-shown: what the user side shows instead of the button's own title.
  send(payload, button.dataset.chatShown || button.textContent.trim());
}

// ---- Form ----------------------------------------------------------------------------

export function updateCounter() {
  const n = input.value.length;
  const show = n > COUNTER_FROM;
  counter.classList.toggle('fr-hidden', !show);
  counter.textContent = show ? TEXTS.counter(n) : '';
}

export function showInputError(show) {
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

export function submitInput() {
  if (state.busy) return;
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

export function clearConversation() {
  state.generation += 1;
  if (CAN_SPEAK) stopReading();
  setBusy(false);
  closeConsent();
  state.history = [];
  storeRemove(KEY_HISTORY);
  storeRemove(KEY_SUMMARY);
  storeRemove(KEY_STARTED);
  storeRemove(KEY_CONVERSATION); // the next message starts a new conversation on the server
  emptyLog();
  startError = null;
  removeSummary();
  log.scrollTop = 0;
  showInputError(false);
  showStatus(el('p', null, TEXTS.cleared));
  if (ADVISOR) {
    // A new session: the server must be told the audience again (silently).
    state.audiencePending = true;
    request(null, false, true);
  } else {
    renderWelcome();
  }
  // The focus stays on the "Effacer la conversation" button.
}
