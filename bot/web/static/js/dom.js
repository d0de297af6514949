// DOM helpers shared by the other modules: the log and its section, elements built as text only
// (textContent / text nodes, never innerHTML), http(s) URLs turned into links.

import { TEXTS } from './texts.js';

export const $ = (id) => document.getElementById(id);
export const log = $('chat-log');
export const chatSection = log.closest('section') || log.parentElement;

// Remove all children (Element.replaceChildren is missing before Safari 14).
export function empty(node) {
  while (node.firstChild) node.firstChild.remove();
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// http(s) URLs only; other schemes (javascript:, data:…) never match and stay text.
export const URL_PATTERN = /https?:\/\/[^\s<>"«»]+/gi;
const TRAILING = /[.,;:!?»)\]'"]$/;

// Drop punctuation glued to the end of a URL ("(voir https://x.fr)." → "https://x.fr"),
// but keep a closing parenthesis that belongs to the URL ("…/Foo_(bar)").
export function trimUrl(raw) {
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
export function appendText(parent, text, withLinks) {
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

export function buttonList(className, buttons) {
  const ul = el('ul', className);
  for (const button of buttons) {
    const li = el('li');
    li.append(button);
    ul.append(li);
  }
  return ul;
}
