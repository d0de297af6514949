// Every text the widget writes itself (French, plain and short): change the wording here.

export const MAX_CHARS = 1000; // same limit as the server and the textarea's maxlength

export const TEXTS = {
  welcome: "Bonjour, je suis l'assistant Mon espace santé. Je réponds à vos questions et je vous guide pas à pas. Que voulez-vous faire ?",
  network: 'Le service ne répond pas. Réessayez dans un instant ou appelez le 3422.',
  noPosition: "Votre position n'est pas disponible. Écrivez plutôt votre code postal, par exemple 88000.",
  myPosition: 'Ma position',
  typing: "L'assistant écrit…",
  cleared: 'Conversation effacée.',
  summaryReady: 'La fiche récapitulative est prête.',
  summaryNote: 'Cette fiche ne contient aucune information personnelle.',
  summaryPrint: 'Imprimer la fiche',
  retry: 'Réessayer',
  empty: "Écrivez votre question avant d'envoyer.",
  newWindow: ' (nouvelle fenêtre)',
  counter: (n) => `${n} / ${MAX_CHARS} caractères`,
  // « Cette réponse vous a aidé ? » under each answer of the bank; « Signaler une erreur » for advisors.
  feedbackQuestion: 'Cette réponse vous a aidé ?',
  feedbackYes: 'Oui',
  feedbackNo: 'Non',
  feedbackReport: 'Signaler une erreur',
  feedbackWhy: "Qu'est-ce qui n'allait pas ?",
  feedbackWhichError: 'Quelle erreur ?',
  feedbackThanks: "Merci, c'est noté.",
  feedbackFailed: "Votre avis n'a pas pu être enregistré. Réessayez dans un instant.",
  // Reading aids: « Écouter » under each answer, « Taille du texte » above the conversation.
  listen: 'Écouter',
  stopListening: 'Arrêter',
  textSize: 'Taille du texte',
  spokenLink: 'le lien',
  // Visually hidden prefixes: who speaks is not shown by colour only.
  prefix: { user: 'Vous : ', bot: 'Assistant : ', system: 'Erreur : ' },
};

// « Taille du texte »: a class on <html> scales the conversation and the input (chat.css).
export const TEXT_SIZES = [
  { value: 'normal', title: 'Normale', className: null },
  { value: 'lg', title: 'Grande', className: 'chat-text-lg' },
  { value: 'xl', title: 'Très grande', className: 'chat-text-xl' },
];

// Reasons offered after « Non » (and for « Signaler une erreur »), as the server names them.
export const FEEDBACK_REASONS = [
  { reason: 'pas_ma_question', title: 'Pas ma question' },
  { reason: 'trop_complique', title: 'Trop compliqué' },
  { reason: 'information_fausse', title: 'Information fausse' },
  { reason: 'autre', title: 'Autre' },
];
// Advisors (« Signaler une erreur ») also have « Étape inexacte », before « Autre ».
export const ADVISOR_REASONS = [
  ...FEEDBACK_REASONS.slice(0, -1),
  { reason: 'etape_inexacte', title: 'Étape inexacte' },
  ...FEEDBACK_REASONS.slice(-1),
];

// Quick replies of the local welcome message (no server call on first load).
export const WELCOME_BUTTONS = [
  { title: 'Activer mon espace', payload: '/activation_start' },
  { title: 'Profil de mon enfant', payload: '/child_activation_start' },
  { title: 'Qui voit mes documents', payload: '/faq{"answer": "who_can_see"}' },
  { title: 'Trouver une France services', payload: '/find_france_services' },
  { title: 'Parler à un conseiller', payload: '/faq{"answer": "ask_human"}' },
];
