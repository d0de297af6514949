"""The topics the assistant answers, with short French labels for suggestion buttons.

Each answer intent ``X`` is answered by the domain response ``utter_X`` (a test
checks that every one exists). Labels are what a user reads on a "did you
mean…" button, so they are short and plain.
"""

from __future__ import annotations

from bot.procedures import START_INTENTS

TOPICS: dict[str, dict[str, str]] = {
    "activation": {
        "activation_start": "Activer mon espace",
        "activation_requirements": "Ce qu'il faut pour activer",
        "code_missing": "Code provisoire perdu ou pas reçu",
        "code_invalid": "Code provisoire refusé ou expiré",
        "carte_vitale_serial": "Numéro de série de la carte Vitale",
        "no_email": "Je n'ai pas d'adresse e-mail",
        "activation_device": "Ordinateur, tablette ou téléphone",
        "mobile_app": "L'application mobile",
        "automatic_creation": "Pourquoi j'ai un espace",
        "official_email_scam": "Message suspect ou arnaque",
        "login_help": "Me connecter",
        "forgot_password": "Mot de passe oublié",
        "help_elderly_parent": "Aider un parent âgé",
        "franceconnect": "FranceConnect",
    },
    "closing": {
        "oppose_or_close": "Refuser ou fermer mon espace",
        "oppose_after_deadline": "Refuser après le délai",
        "change_mind": "Rouvrir mon espace",
        "data_after_closing": "Mes données après la fermeture",
    },
    "children": {
        "child_activation_start": "Activer le profil d'un enfant",
        "child_profile_birth": "Profil d'un nouveau-né",
        "child_other_parent": "Accès de l'autre parent",
        "child_add_documents": "Documents de mon enfant",
        "vaccinations": "Vaccinations",
        "child_restrict_access": "Protéger le dossier d'un enfant",
        "child_turning_18": "Enfant qui a 18 ans",
        "teen_confidentiality": "Confidentialité des adolescents",
    },
    "documents": {
        "who_can_see": "Qui voit mes documents",
        "block_professional": "Bloquer un professionnel",
        "hide_document": "Masquer un document",
        "emergency_access": "Accès en cas d'urgence",
        "activity_history": "Historique des accès",
        "admin_professional": "Professionnel administrateur",
        "add_document": "Ajouter un document",
        "delete_document": "Modifier ou supprimer un document",
        "document_sources": "D'où viennent mes documents",
        "old_dmp": "L'ancien DMP",
        "download_export": "Télécharger mes documents",
        "secure_messaging": "La messagerie sécurisée",
    },
    "account": {
        "what_is_mes": "C'est quoi Mon espace santé",
        "medical_profile": "Le profil médical",
        "advance_directives": "Directives anticipées",
        "prevention_reminders": "Prévention et rappels",
        "change_contact": "Changer mon e-mail ou téléphone",
        "wrong_identity": "Erreur sur mon identité",
        "accessibility": "Accessibilité",
        "app_catalogue": "Catalogue de services",
        "security_hosting": "Sécurité de mes données",
        "who_cannot_see": "Employeur, mutuelle : accès ?",
    },
    "help": {
        "ask_human": "Parler à un conseiller",
        "find_france_services": "Trouver une France Services",
        "ambassadors": "Ambassadeurs et ateliers",
        "cpam_help": "Aller à ma CPAM",
    },
    "out_of_scope": {
        "ask_reimbursement": "Remboursements et compte ameli",
        "ask_appointment": "Prendre rendez-vous",
        "ask_medical_advice": "Un conseil médical",
    },
}

LABELS: dict[str, str] = {intent: label for group in TOPICS.values() for intent, label in group.items()}
TOPIC_OF: dict[str, str] = {intent: topic for topic, group in TOPICS.items() for intent in group}

# Intents that open a form (France Services search) rather than giving a fixed answer.
FORM_INTENTS = frozenset({"find_france_services"})

# Intents answered by a fixed response followed by ``action_after_answer`` (the others start a guide or a form).
ANSWER_INTENTS = frozenset(LABELS) - frozenset(START_INTENTS) - FORM_INTENTS

# "Et pour mon enfant ?": what it means after each topic.
CHILD_FOLLOW_UP: dict[str, str] = {
    "activation": "child_activation_start",
    "closing": "utter_oppose_child",
    "children": "utter_ask_for_child_default",
    "documents": "utter_child_restrict_access",
    "account": "utter_ask_for_child_default",
}
CHILD_FOLLOW_UP_BY_INTENT: dict[str, str] = {
    "add_document": "utter_child_add_documents",
    "download_export": "utter_child_add_documents",
    "vaccinations": "utter_vaccinations",
    "prevention_reminders": "utter_vaccinations",
    "document_sources": "utter_child_add_documents",
}
CHILD_FOLLOW_UP_DEFAULT = "utter_ask_for_child_default"


def child_follow_up(last_intent: str | None) -> str:
    """What "et pour mon fils ?" refers to after ``last_intent``.

    Returns a response name, or ``child_activation_start`` to start that guide.
    """
    if not last_intent:
        return CHILD_FOLLOW_UP_DEFAULT
    if last_intent in CHILD_FOLLOW_UP_BY_INTENT:
        return CHILD_FOLLOW_UP_BY_INTENT[last_intent]
    return CHILD_FOLLOW_UP.get(TOPIC_OF.get(last_intent, ""), CHILD_FOLLOW_UP_DEFAULT)


# Below this confidence a topic is a guess, not a suggestion worth a button.
MIN_SUGGESTION_CONFIDENCE = 0.1


def suggestions(
    ranking: list[dict], limit: int = 2, min_confidence: float = MIN_SUGGESTION_CONFIDENCE
) -> list[tuple[str, str]]:
    """The ``limit`` most likely topics from Rasa's intent ranking, as (intent, label)."""
    found: list[tuple[str, str]] = []
    for entry in ranking:
        if not isinstance(entry, dict):
            continue
        name, confidence = entry.get("name"), entry.get("confidence")
        if not isinstance(confidence, (int, float)) or confidence < min_confidence:
            continue
        if name in LABELS and all(name != known for known, _ in found):
            found.append((name, LABELS[name]))
        if len(found) == limit:
            break
    return found
