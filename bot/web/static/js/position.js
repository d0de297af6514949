// « Trouver une France services » near me: the consent panel (#chat-consent) and the browser's
// geolocation. Only coordinates rounded to 2 decimals (about 1 km) are sent, shown as « Ma position ».

import { $, log } from './dom.js';
import { addMessage, scrollToMessage } from './render.js';
import { state } from './state.js';
import { TEXTS } from './texts.js';

export const SHARE_POSITION = '/share_position';
const GEO_TIMEOUT_MS = 10000;

const consent = $('chat-consent');
const consentHome = $('chat-consent-home');
let consentOrigin = null; // the "/share_position" button that opened the consent panel

export const consentOpen = () => consentOrigin !== null;

// The consent panel is moved right after the list holding the clicked button and, as it
// answers the person's own click and waits for a choice (like a small dialog), focus goes
// to « Partager ma position ». Closing it gives focus back to the clicked button.
export function openConsent(button) {
  consentOrigin = button;
  button.closest('ul').after(consent);
  consent.classList.remove('fr-hidden');
  const max = log.scrollHeight - log.clientHeight;
  if (max > 0) log.scrollTop = Math.min(consent.offsetTop + consent.offsetHeight - log.clientHeight + 16, max);
  $('chat-consent-yes').focus();
}

// Hide the panel and put it back in its home (so that "Effacer" never deletes it).
// If the focus was in the panel, it goes back to the button that opened it.
export function closeConsent() {
  const hadFocus = consent.contains(document.activeElement);
  consent.classList.add('fr-hidden');
  consentHome.append(consent);
  if (hadFocus && consentOrigin?.isConnected) consentOrigin.focus();
  consentOrigin = null;
}

export function positionUnavailable() {
  scrollToMessage(addMessage({ role: 'bot', text: TEXTS.noPosition, buttons: [] }));
}

// About 1 km (2 decimals): enough to find the nearest desk, too coarse to point at a home.
const round2 = (x) => Math.round(x * 100) / 100;

// « Partager ma position »: `send(message, shown)` sends the rounded coordinates (conversation.js).
export function sharePosition(send) {
  closeConsent();
  if (!navigator.geolocation) {
    positionUnavailable();
    return;
  }
  const gen = state.generation;
  navigator.geolocation.getCurrentPosition(
    ({ coords }) => {
      if (gen !== state.generation) return; // the conversation was erased meanwhile
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
      if (gen === state.generation) positionUnavailable();
    },
    { timeout: GEO_TIMEOUT_MS, maximumAge: 60000, enableHighAccuracy: false },
  );
}
