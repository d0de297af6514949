"""Word lists the detectors read: adding a word is one line here, not a change of rule."""

from __future__ import annotations

STREET_TYPES = frozenset(
    {
        "rue", "r.", "r", "ruelle", "avenue", "av.", "av", "boulevard", "bd", "bld", "bvd", "place", "pl.", "chemin",
        "ch.", "chem.", "allée", "allee", "all.", "impasse", "imp.", "imp", "route", "rte", "quai", "cours",
        "résidence", "residence", "rés.", "square", "sq.", "passage", "sentier", "sente", "lotissement", "lot.",
        "hameau", "faubourg", "fbg", "rond-point", "cité", "cite", "esplanade", "promenade", "montée", "montee",
        "venelle", "traverse", "chaussée", "chaussee", "villa", "domaine", "parc", "clos", "lieu-dit", "lieudit",
        "voie",
    }
)  # fmt: skip
"""Words that make "12 <word> …" a street address."""
AMBIGUOUS_STREET_TYPES = frozenset(
    {"cours", "parc", "clos", "villa", "domaine", "voie", "passage", "traverse", "promenade", "sentier", "r"}
)
"""Also ordinary words ("3 cours de yoga", "2 passages"): the street's name must then have a capital."""
ADDRESS_HINTS = (
    "lieu-dit", "lieu dit", "lieudit", "hameau", "sidence", "lotissement", "cité", "cite ", "bâtiment", "batiment",
    "bât", "bat ", "bat.", "appart", "appt", "apt ", "apt.", "escalier", "esc.", "bp", "b.p", "boîte postale",
    "boite postale",
)  # fmt: skip
"""Substrings that announce an address without a street number."""

STOP_WORDS = frozenset(
    {
        "à", "a", "au", "aux", "et", "ou", "où", "mais", "pour", "dans", "chez", "sur", "près", "pres", "vers",
        "depuis", "avec", "sans", "je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "est", "qui",
        "que", "quand", "comment", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "svp", "merci",
        "donc", "car", "puis", "alors", "bonjour", "cedex", "cédex", "tel", "tél", "téléphone", "mail", "email",
        "a-t-il", "ai", "as", "suis", "était", "etait", "sont", "n'est", "ne", "pas", "veut", "veux", "peut",
    }
)  # fmt: skip
"""Words that end a street or person's name: what follows is a new clause."""
ELIDED_PRONOUNS = ("j'", "j’", "c'", "c’", "n'", "n’", "s'", "s’", "m'", "m’", "t'", "t’", "qu'", "qu’")

NOT_SECRET = frozenset(
    {
        "franceconnect", "ameli", "vitale", "sms", "pdf", "dmp", "mss", "ins", "nir", "provisoire", "e-mail", "email",
        "mail", "courrier", "oublié", "oublie", "perdu", "bloqué", "bloque", "faux", "fausse", "incorrect",
        "incorrecte", "invalide", "expiré", "expire", "erroné", "errone", "refusé", "refuse", "illisible", "reçu",
        "recu", "jamais", "aucun", "toujours", "marche", "fonctionne", "pas", "plus", "bon", "bien", "vide",
        "impossible", "introuvable", "inconnu", "inconnue", "bloquée", "désactivé", "desactive", "personnel",
        "personnelle", "demandé", "demande", "nouveau", "nouvelle", "différent", "different", "obligatoire",
        "d'activation", "postal", "perime", "périmé", "valable", "valide", "envoyé", "envoye", "arrivé", "arrive",
    }
)  # fmt: skip
"""Words after « code », « mot de passe »… that say something about the code rather than being it."""
SERVICE_NUMBERS = frozenset({"3422", "3646", "3919", "3114", "15", "17", "18", "112", "114", "115", "119", "196"})
"""Public short numbers: never a code."""

NAME_STOP_WORDS = frozenset(
    {
        "Mon", "Ma", "Mes", "Il", "Elle", "Je", "On", "Nous", "Vous", "Le", "La", "Les", "Un", "Une", "Et", "Ou",
        "Bonjour", "Merci", "France", "Services", "Service", "Vitale", "Ameli", "Assurance", "Maladie", "Espace",
        "Santé", "Sante", "Doctolib", "Docteur", "Dr", "Madame", "Monsieur", "Oui", "Non", "Depuis", "Pour",
    }
)  # fmt: skip
"""Capitalised words after a name cue that are not a name (« ma fille Elle a… », « Mme France services »)."""
FAMILY_WORDS = (
    "fille", "fils", "enfant", "bébé", "bebe", "mère", "mere", "père", "pere", "mari", "femme", "épouse", "epouse",
    "époux", "epoux", "conjoint", "conjointe", "compagnon", "compagne", "frère", "frere", "sœur", "soeur", "maman",
    "papa", "grand-mère", "grand-mere", "grand-père", "grand-pere", "petite-fille", "petit-fils", "neveu", "nièce",
    "niece", "tante", "oncle", "voisin", "voisine", "cousin", "cousine", "ami", "amie",
)  # fmt: skip
"""« ma fille Chloé »: a capitalised word after one of these is a first name."""

NUMBER_WORDS = frozenset(
    {
        "un", "une", "premier", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
        "douze", "treize", "quatorze", "quinze", "seize", "vingt", "vingts", "trente", "quarante", "cinquante",
        "soixante", "cent", "cents", "mille", "mil", "et",
    }
)  # fmt: skip
"""Numbers in words, to read a date of birth written out (« douze mars mille neuf cent cinquante »)."""
NOT_NAMES = frozenset(
    {
        "le", "la", "les", "l'", "un", "une", "de", "du", "des", "en", "y", "ce", "cet", "cette", "ces", "ça", "ca",
        "cela", "celui", "quoi", "rien", "tout", "tous", "toute", "si", "ne", "mal", "bien", "trop", "très", "tres",
        "encore", "toujours", "jamais", "déjà", "deja", "aussi", "faux", "fausse", "mauvais", "mauvaise", "incomplet",
        "incomplète", "différent", "different", "inconnu", "illisible", "provisoire", "comme", "sur", "plus", "écrit",
        "ecrit", "écrite", "inscrit", "bon", "bonne", "belle", "juste", "correct", "bizarre", "vide", "absent",
        "coupe", "ecorche", "dame", "moi", "toi", "lui", "beaucoup", "quand",
        # a role after the name (« Mme Benali conseillère France Services » lost « conseillère », 5 December 2026)
        "conseiller", "conseillère", "conseillere", "conseillers", "conseillères", "agent", "agente", "médiateur",
        "médiatrice", "mediateur", "mediatrice", "animateur", "animatrice", "accompagnateur", "accompagnatrice",
        "référent", "référente", "referent", "referente",
    }
)  # fmt: skip
"""Lower-case words after « je m'appelle », « mon nom est », « nom : » that are not a name (« mon nom est mal
écrit »); a word ending in -é, -ée, -és is taken for a participle (« mon nom est écorché »)."""
