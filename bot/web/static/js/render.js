// The log and the status line: one <li> per message (text only), quick replies, the typing
// indicator, the busy send button. Focus is never moved to new messages: the log is a polite live
// region, screen readers announce what is added; only the log itself scrolls.

import { $, appendText, buttonList, el, empty, log } from './dom.js';
import { feedbackControl } from './feedback.js';
import { CAN_SPEAK, listenButton } from './reading.js';
import { remember, state } from './state.js';
import { TEXTS, WELCOME_BUTTONS } from './texts.js';

const list = log.querySelector('ol');
const status = $('chat-status');
const sendButton = $('chat-send');

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

// One <li> per message: data-role="user|bot|system", a bubble with a visually hidden
// prefix, then (bot, where the browser can speak) « Écouter », then the quick replies (if any)
// under it, then, under an answer of the bank, « Cette réponse vous a aidé ? » (until it is answered).
export function renderMessage(entry) {
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

export function addMessage(entry) {
  const li = renderMessage(entry);
  remember(entry);
  return li;
}

// Replace the text of a message's bubble (text only).
export function setBubbleText(li, role, text) {
  const p = li.querySelector('.chat-msg__text');
  if (!p) return;
  empty(p);
  p.append(el('span', 'fr-sr-only', TEXTS.prefix[role]));
  appendText(p, text, role === 'bot');
}

// Scroll the log (never the focus) so that the new messages are seen from their start.
export function scrollToMessage(li) {
  const max = log.scrollHeight - log.clientHeight;
  if (max > 0 && li) log.scrollTop = Math.min(Math.max(li.offsetTop - 8, 0), max);
}

export function renderWelcome() {
  renderMessage({ role: 'bot', text: TEXTS.welcome, buttons: WELCOME_BUTTONS });
}

export function emptyLog() {
  empty(list);
}

// ---- Status line: typing indicator and short confirmations ---------------------------

export function showStatus(node) {
  empty(status);
  status.append(node);
}

// `keep`: add the indicator after the current status (« Conversation effacée. ») instead of
// replacing it, so that the confirmation is not cut off by the advisor's silent restart.
export function showTyping(keep = false) {
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

export function hideTyping() {
  $('chat-typing')?.remove();
}

// The send button is "disabled" with aria-disabled so that it keeps the keyboard focus.
export function setBusy(value) {
  state.busy = value;
  if (value) sendButton.setAttribute('aria-disabled', 'true');
  else sendButton.removeAttribute('aria-disabled');
}
