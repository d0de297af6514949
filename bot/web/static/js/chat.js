// Chat widget of "Assistant Mon espace santé": the entry module, which wires the others.
// Plain ES modules, no dependency, no build step; served under one versioned folder
// (/assets/js/<version>/, see docs/web.md), so that their relative imports stay versioned.
//
// Rules kept in every module:
// - every text (user, bot, server error) goes into the page as text (textContent /
//   text nodes), never through innerHTML;
// - focus is never moved to new messages: the log is a polite live region, screen
//   readers announce what is added; only the log itself scrolls;
// - nothing inline (the server's CSP forbids inline scripts, styles and handlers).
// The DOM contract used by the browser tests is described in docs/web.md.
//
// texts.js      every text the widget writes (French)
// dom.js        DOM helpers: elements as text only, links
// state.js      audience, sessionStorage keys, history, shared state
// reading.js    « Écouter » and « Taille du texte »
// api.js        POST /api/chat and /api/feedback
// render.js     the log's messages, the status line, the busy send button
// feedback.js   « Cette réponse vous a aidé ? »
// summary.js    the printable sheet (« Fiche récapitulative », « Préparer ma visite »)
// position.js   the position consent panel and geolocation
// conversation.js  sending, answers, errors and « Réessayer », the advisors' silent start, « Effacer »

import {
  choose,
  clearConversation,
  input,
  request,
  send,
  showInputError,
  submitInput,
  updateCounter,
} from './conversation.js';
import { $, log } from './dom.js';
import { closeConsent, positionUnavailable, sharePosition } from './position.js';
import { CAN_SPEAK, textSizeControl } from './reading.js';
import { renderMessage, renderWelcome } from './render.js';
import { ADVISOR, KEY_CONVERSATION, KEY_OLD_SESSION, loadSummary, state, storeRemove } from './state.js';
import { renderSummary } from './summary.js';

// ---- Wiring ----------------------------------------------------------------------------

$('chat-form').addEventListener('submit', (event) => {
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

$('chat-clear').addEventListener('click', clearConversation);

log.addEventListener('click', (event) => {
  const button = event.target.closest('.chat-quick-replies button[data-payload]');
  if (button) choose(button);
});

$('chat-consent-yes').addEventListener('click', () => sharePosition(send));
$('chat-consent-no').addEventListener('click', () => {
  closeConsent();
  positionUnavailable();
});

// Buttons elsewhere in the page that send a payload into the chat (hidden without JS).
for (const button of document.querySelectorAll('[data-chat-payload]')) {
  button.classList.remove('fr-hidden');
  button.addEventListener('click', () => {
    if (state.busy) return;
    choose(button);
    log.scrollIntoView({ block: 'nearest' });
  });
}

// « Taille du texte » right under the chat's title (the size itself is applied when reading.js loads).
const chatTitle = $('chat-title');
if (chatTitle) chatTitle.after(textSizeControl());
else log.before(textSizeControl());
// A reading never goes on after the page is left.
if (CAN_SPEAK) window.addEventListener('pagehide', () => speechSynthesis.cancel());

// ---- First display ---------------------------------------------------------------------

// Citizen: the local welcome message, then this tab's saved conversation.
// Advisor: the saved conversation (its first messages are the server's advisor welcome);
// a new conversation starts with the silent /set_audience message instead of a welcome.
storeRemove(KEY_OLD_SESSION);
// A tab that shows no conversation starts a new one with its first message (even if the browser's
// cookie names the conversation of another tab).
if (!state.history.length) storeRemove(KEY_CONVERSATION);
if (!ADVISOR) renderWelcome();
for (const entry of state.history) renderMessage(entry);
log.scrollTop = log.scrollHeight;
const savedSummary = loadSummary();
if (savedSummary) renderSummary(savedSummary); // not announced again
updateCounter();
if (state.audiencePending) request(null, false);
