// The printable sheet, outside the log: the « Fiche récapitulative » (advisors) or « Préparer ma
// visite » (kind "visit", printed more compactly). print.css prints it alone.

import { $, appendText, buttonList, chatSection, el } from './dom.js';
import { showStatus } from './render.js';
import { KEY_SUMMARY, storeSet } from './state.js';
import { TEXTS } from './texts.js';

// <section id="summary"> right after the chat section: title, date, one <h3> and <ul> per
// section, a note and « Imprimer la fiche ». Replaced by each new summary; text only.
export function renderSummary(summary) {
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

export function removeSummary() {
  $('summary')?.remove();
  document.documentElement.classList.remove('chat-has-summary');
}

// A new summary: shown, kept for a reload, announced politely; the focus does not move.
export function showSummary(summary) {
  renderSummary(summary);
  storeSet(KEY_SUMMARY, JSON.stringify(summary));
  showStatus(el('p', null, TEXTS.summaryReady));
}
