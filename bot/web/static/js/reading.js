// Reading aids: « Écouter » (the browser's own speech synthesis, nothing is sent anywhere) under
// each answer, and « Taille du texte » (DSFR segmented control, above the conversation).

import { el, trimUrl, URL_PATTERN } from './dom.js';
import { KEY_TEXT_SIZE } from './state.js';
import { TEXT_SIZES, TEXTS } from './texts.js';

// ---- « Taille du texte »: read and applied first, before anything is rendered ------------

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

export function textSizeControl() {
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

// ---- « Écouter » ---------------------------------------------------------------------------

// No button at all where the browser cannot speak.
export const CAN_SPEAK = 'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined';
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
export function stopReading() {
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

export function listenButton(text) {
  const classes = 'fr-btn fr-btn--tertiary fr-btn--sm fr-btn--icon-left fr-icon-volume-up-line';
  const button = el('button', classes, TEXTS.listen);
  button.type = 'button';
  button.addEventListener('click', () => toggleReading(button, text));
  const wrapper = el('div', 'chat-listen');
  wrapper.append(button);
  return wrapper;
}
