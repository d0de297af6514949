// « Cette réponse vous a aidé ? » under an answer of the bank (advisors: « Signaler une erreur »).
//
// « Non » (or « Signaler une erreur ») shows the reasons and moves the focus to the first one: it
// answers the person's own click, like the consent panel. One feedback per answer: once it is sent,
// the buttons are aria-disabled (the focus stays on the clicked one, which is aria-pressed) and
// « Merci, c'est noté. » is written in the control's polite live region. Only the answer's id,
// yes/no and the reason are sent.

import { postFeedback } from './api.js';
import { buttonList, el } from './dom.js';
import { ADVISOR, saveHistory, state } from './state.js';
import { ADVISOR_REASONS, FEEDBACK_REASONS, TEXTS } from './texts.js';

let feedbackCount = 0; // numbers the feedback controls (their ids)

export function feedbackControl(entry) {
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
  if (state.history.includes(entry)) saveHistory();
  live.textContent = TEXTS.feedbackThanks;
}
