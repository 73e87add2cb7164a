import type { CheckStatus, Language, RelationshipKind } from '../gql/graphql';

/**
 * Every text of the public pages (candidate and referee links), in each
 * language a check can be in. The type makes each dictionary complete, so
 * nothing falls back to English.
 */
export interface Messages {
  /** BCP 47 tag for dates and numbers. */
  locale: string;
  loading: string;
  unknownLinkTitle: string;
  unknownLinkBody: string;
  expiredLinkTitle: string;
  expiredLinkBody: string;
  errorTitle: string;
  networkError: string;
  retry: string;
  sentBy: (company: string) => string;
  titleSelfAssessment: string;
  titleNomination: string;
  titleReferee: (candidate: string) => string;
  introSelfAssessment: (company: string, job: string) => string;
  introNomination: (company: string, job: string, count: number) => string;
  introReferee: (candidate: string, company: string, job: string) => string;
  validUntil: (date: string) => string;
  questionOf: (index: number, total: number) => string;
  answerRequired: string;
  counter: (used: string, max: string) => string;
  tooLong: (max: string) => string;
  yes: string;
  no: string;
  ratingLow: string;
  ratingHigh: string;
  saveDraft: string;
  draftSaved: (time: string) => string;
  unsaved: string;
  submit: string;
  confirmSubmitTitle: string;
  confirmSubmitBody: string;
  confirm: string;
  back: string;
  submittedTitle: string;
  submittedBody: string;
  alreadySubmitted: string;
  yourAnswers: string;
  noAnswer: string;
  fixErrors: string;
  decline: string;
  declineTitle: string;
  declineBody: string;
  declineConfirm: string;
  closedTitle: string;
  closed: Record<Exclude<CheckStatus, 'SENT' | 'AWAITING_REFEREES' | 'IN_PROGRESS' | 'BLOCKED'>, string>;
  refereeHeading: (index: number) => string;
  name: string;
  email: string;
  phone: string;
  optional: string;
  relationship: string;
  relationships: Record<RelationshipKind, string>;
  nominate: string;
  nominatedTitle: string;
  nominatedBody: string;
  answered: string;
  waiting: string;
  nameRequired: string;
  invalidEmail: string;
  ownEmail: string;
  duplicateEmail: string;
  invalidPhone: string;
  relationshipRequired: string;
}

const en: Messages = {
  locale: 'en-GB',
  loading: 'Loading…',
  unknownLinkTitle: 'This link does not work',
  unknownLinkBody:
    'We could not find anything behind this link. Check that you opened the whole link from the e-mail, or ask the company that sent it for a new one.',
  expiredLinkTitle: 'This link has expired',
  expiredLinkBody: 'The time to answer through this link is over. Ask the company that sent it for a new link.',
  errorTitle: 'Something went wrong',
  networkError: 'We could not reach the server. Check your connection and try again.',
  retry: 'Try again',
  sentBy: (company) => `Sent on behalf of ${company}`,
  titleSelfAssessment: 'Your self-assessment',
  titleNomination: 'Name your referees',
  titleReferee: (candidate) => `Reference for ${candidate}`,
  introSelfAssessment: (company, job) =>
    `${company} asks you to answer a few questions about yourself for the role ${job}.`,
  introNomination: (company, job, count) =>
    `${company} asks you to name ${count} ${count === 1 ? 'person' : 'people'} who can speak about your work, for the role ${job}. Each will receive an e-mail with a short questionnaire.`,
  introReferee: (candidate, company, job) =>
    `${candidate} has applied for the role ${job} at ${company} and named you as a referee. Thank you for answering a few questions.`,
  validUntil: (date) => `This link works until ${date}.`,
  questionOf: (index, total) => `Question ${index} of ${total}`,
  answerRequired: 'Please answer this question.',
  counter: (used, max) => `${used} / ${max} characters`,
  tooLong: (max) => `Please shorten this answer to at most ${max} characters.`,
  yes: 'Yes',
  no: 'No',
  ratingLow: 'Poor',
  ratingHigh: 'Excellent',
  saveDraft: 'Save draft',
  draftSaved: (time) => `Draft saved at ${time}. You can come back to this link later.`,
  unsaved: 'You have changes that are not saved yet.',
  submit: 'Submit',
  confirmSubmitTitle: 'Submit your answers?',
  confirmSubmitBody: 'Once submitted, your answers cannot be changed.',
  confirm: 'Submit',
  back: 'Go back',
  submittedTitle: 'Thank you!',
  submittedBody: 'Your answers have been submitted. They can no longer be changed.',
  alreadySubmitted: 'These answers were already submitted and can no longer be changed.',
  yourAnswers: 'Your answers',
  noAnswer: '(no answer)',
  fixErrors: 'Some answers need your attention.',
  decline: 'I do not want to take part',
  declineTitle: 'Decline?',
  declineBody: 'The company will be told that you declined. You cannot undo this.',
  declineConfirm: 'Decline',
  closedTitle: 'This request is closed',
  closed: {
    COMPLETED: 'This request is complete. Thank you!',
    DECLINED: 'This request was declined.',
    EXPIRED: 'The time to answer this request is over.',
    CANCELLED: 'The company cancelled this request. There is nothing more to do.',
    SUPERSEDED: 'A newer request replaced this one. Please use the link in the most recent e-mail.',
  },
  refereeHeading: (index) => `Referee ${index}`,
  name: 'Full name',
  email: 'E-mail address',
  phone: 'Phone number',
  optional: 'optional',
  relationship: 'How do you know them?',
  relationships: {
    MANAGER: 'My manager',
    PEER: 'A colleague',
    REPORT: 'Someone who reported to me',
    OTHER: 'Other',
  },
  nominate: 'Send to my referees',
  nominatedTitle: 'Your referees have been contacted',
  nominatedBody: 'Each referee received an e-mail with their own link. You can follow their answers here.',
  answered: 'Answered',
  waiting: 'Not answered yet',
  nameRequired: 'Please enter a name.',
  invalidEmail: 'Please enter an e-mail address such as name@example.com.',
  ownEmail: 'This is your own address. Please name someone who can speak about your work.',
  duplicateEmail: 'This referee is named twice. Each referee needs their own address.',
  invalidPhone: 'Please enter a phone number such as +46 70 123 45 67.',
  relationshipRequired: 'Please choose how you know this person.',
};

const sv: Messages = {
  locale: 'sv-SE',
  loading: 'Laddar…',
  unknownLinkTitle: 'Länken fungerar inte',
  unknownLinkBody:
    'Vi hittade ingenting bakom den här länken. Kontrollera att du öppnade hela länken från e-postmeddelandet, eller be företaget som skickade den om en ny.',
  expiredLinkTitle: 'Länken har gått ut',
  expiredLinkBody: 'Tiden för att svara via den här länken är slut. Be företaget som skickade den om en ny länk.',
  errorTitle: 'Något gick fel',
  networkError: 'Vi kunde inte nå servern. Kontrollera din anslutning och försök igen.',
  retry: 'Försök igen',
  sentBy: (company) => `Skickat för ${company}`,
  titleSelfAssessment: 'Din självskattning',
  titleNomination: 'Ange dina referenser',
  titleReferee: (candidate) => `Referens för ${candidate}`,
  introSelfAssessment: (company, job) =>
    `${company} ber dig svara på några frågor om dig själv inför rollen ${job}.`,
  introNomination: (company, job, count) =>
    `${company} ber dig ange ${count} ${count === 1 ? 'person' : 'personer'} som kan berätta om ditt arbete, inför rollen ${job}. Var och en får ett e-postmeddelande med ett kort frågeformulär.`,
  introReferee: (candidate, company, job) =>
    `${candidate} har sökt rollen ${job} hos ${company} och angett dig som referens. Tack för att du svarar på några frågor.`,
  validUntil: (date) => `Länken fungerar till och med ${date}.`,
  questionOf: (index, total) => `Fråga ${index} av ${total}`,
  answerRequired: 'Svara på den här frågan.',
  counter: (used, max) => `${used} / ${max} tecken`,
  tooLong: (max) => `Korta ner svaret till högst ${max} tecken.`,
  yes: 'Ja',
  no: 'Nej',
  ratingLow: 'Dåligt',
  ratingHigh: 'Utmärkt',
  saveDraft: 'Spara utkast',
  draftSaved: (time) => `Utkastet sparades ${time}. Du kan komma tillbaka till länken senare.`,
  unsaved: 'Du har ändringar som inte är sparade än.',
  submit: 'Skicka in',
  confirmSubmitTitle: 'Skicka in dina svar?',
  confirmSubmitBody: 'När svaren är inskickade kan de inte ändras.',
  confirm: 'Skicka in',
  back: 'Gå tillbaka',
  submittedTitle: 'Tack!',
  submittedBody: 'Dina svar är inskickade. De kan inte längre ändras.',
  alreadySubmitted: 'Svaren är redan inskickade och kan inte längre ändras.',
  yourAnswers: 'Dina svar',
  noAnswer: '(inget svar)',
  fixErrors: 'Några svar behöver din uppmärksamhet.',
  decline: 'Jag vill inte delta',
  declineTitle: 'Tacka nej?',
  declineBody: 'Företaget får veta att du tackade nej. Det går inte att ångra.',
  declineConfirm: 'Tacka nej',
  closedTitle: 'Förfrågan är stängd',
  closed: {
    COMPLETED: 'Förfrågan är klar. Tack!',
    DECLINED: 'Förfrågan avböjdes.',
    EXPIRED: 'Tiden för att svara på förfrågan är slut.',
    CANCELLED: 'Företaget avbröt förfrågan. Du behöver inte göra något mer.',
    SUPERSEDED: 'En nyare förfrågan har ersatt den här. Använd länken i det senaste e-postmeddelandet.',
  },
  refereeHeading: (index) => `Referens ${index}`,
  name: 'För- och efternamn',
  email: 'E-postadress',
  phone: 'Telefonnummer',
  optional: 'valfritt',
  relationship: 'Hur känner du personen?',
  relationships: {
    MANAGER: 'Min chef',
    PEER: 'En kollega',
    REPORT: 'En medarbetare som rapporterade till mig',
    OTHER: 'Annat',
  },
  nominate: 'Skicka till mina referenser',
  nominatedTitle: 'Dina referenser har kontaktats',
  nominatedBody: 'Varje referens har fått ett e-postmeddelande med en egen länk. Du kan följa deras svar här.',
  answered: 'Har svarat',
  waiting: 'Har inte svarat än',
  nameRequired: 'Ange ett namn.',
  invalidEmail: 'Ange en e-postadress, till exempel namn@exempel.se.',
  ownEmail: 'Det här är din egen adress. Ange någon som kan berätta om ditt arbete.',
  duplicateEmail: 'Den här referensen är angiven två gånger. Varje referens behöver en egen adress.',
  invalidPhone: 'Ange ett telefonnummer, till exempel +46 70 123 45 67.',
  relationshipRequired: 'Välj hur du känner personen.',
};

const fr: Messages = {
  locale: 'fr-FR',
  loading: 'Chargement…',
  unknownLinkTitle: 'Ce lien ne fonctionne pas',
  unknownLinkBody:
    "Nous n'avons rien trouvé derrière ce lien. Vérifiez que vous avez ouvert le lien complet de l'e-mail, ou demandez-en un nouveau à l'entreprise qui l'a envoyé.",
  expiredLinkTitle: 'Ce lien a expiré',
  expiredLinkBody: "Le délai pour répondre via ce lien est dépassé. Demandez un nouveau lien à l'entreprise qui l'a envoyé.",
  errorTitle: 'Un problème est survenu',
  networkError: 'Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.',
  retry: 'Réessayer',
  sentBy: (company) => `Envoyé pour le compte de ${company}`,
  titleSelfAssessment: 'Votre auto-évaluation',
  titleNomination: 'Indiquez vos références',
  titleReferee: (candidate) => `Référence pour ${candidate}`,
  introSelfAssessment: (company, job) =>
    `${company} vous demande de répondre à quelques questions sur vous-même pour le poste ${job}.`,
  introNomination: (company, job, count) =>
    `${company} vous demande d'indiquer ${count} ${count === 1 ? 'personne' : 'personnes'} pouvant parler de votre travail, pour le poste ${job}. Chacune recevra un e-mail avec un court questionnaire.`,
  introReferee: (candidate, company, job) =>
    `${candidate} a postulé au poste ${job} chez ${company} et vous a indiqué comme référence. Merci de répondre à quelques questions.`,
  validUntil: (date) => `Ce lien est valable jusqu'au ${date}.`,
  questionOf: (index, total) => `Question ${index} sur ${total}`,
  answerRequired: 'Veuillez répondre à cette question.',
  counter: (used, max) => `${used} / ${max} caractères`,
  tooLong: (max) => `Veuillez raccourcir cette réponse à ${max} caractères au maximum.`,
  yes: 'Oui',
  no: 'Non',
  ratingLow: 'Insuffisant',
  ratingHigh: 'Excellent',
  saveDraft: 'Enregistrer le brouillon',
  draftSaved: (time) => `Brouillon enregistré à ${time}. Vous pouvez revenir à ce lien plus tard.`,
  unsaved: 'Certaines modifications ne sont pas encore enregistrées.',
  submit: 'Envoyer',
  confirmSubmitTitle: 'Envoyer vos réponses ?',
  confirmSubmitBody: 'Une fois envoyées, vos réponses ne pourront plus être modifiées.',
  confirm: 'Envoyer',
  back: 'Retour',
  submittedTitle: 'Merci !',
  submittedBody: 'Vos réponses ont été envoyées. Elles ne peuvent plus être modifiées.',
  alreadySubmitted: 'Ces réponses ont déjà été envoyées et ne peuvent plus être modifiées.',
  yourAnswers: 'Vos réponses',
  noAnswer: '(pas de réponse)',
  fixErrors: 'Certaines réponses demandent votre attention.',
  decline: 'Je ne souhaite pas participer',
  declineTitle: 'Refuser ?',
  declineBody: "L'entreprise sera informée de votre refus. Cette action est définitive.",
  declineConfirm: 'Refuser',
  closedTitle: 'Cette demande est close',
  closed: {
    COMPLETED: 'Cette demande est terminée. Merci !',
    DECLINED: 'Cette demande a été refusée.',
    EXPIRED: 'Le délai pour répondre à cette demande est dépassé.',
    CANCELLED: "L'entreprise a annulé cette demande. Vous n'avez plus rien à faire.",
    SUPERSEDED: "Une demande plus récente remplace celle-ci. Utilisez le lien de l'e-mail le plus récent.",
  },
  refereeHeading: (index) => `Référence ${index}`,
  name: 'Nom complet',
  email: 'Adresse e-mail',
  phone: 'Numéro de téléphone',
  optional: 'facultatif',
  relationship: 'Comment connaissez-vous cette personne ?',
  relationships: {
    MANAGER: 'Mon ou ma responsable',
    PEER: 'Un ou une collègue',
    REPORT: "Quelqu'un de mon équipe que j'encadrais",
    OTHER: 'Autre',
  },
  nominate: 'Envoyer à mes références',
  nominatedTitle: 'Vos références ont été contactées',
  nominatedBody: 'Chaque référence a reçu un e-mail avec son propre lien. Vous pouvez suivre leurs réponses ici.',
  answered: 'A répondu',
  waiting: "N'a pas encore répondu",
  nameRequired: 'Veuillez saisir un nom.',
  invalidEmail: 'Veuillez saisir une adresse e-mail, par exemple nom@exemple.fr.',
  ownEmail: 'Il s’agit de votre propre adresse. Indiquez une personne pouvant parler de votre travail.',
  duplicateEmail: 'Cette référence est indiquée deux fois. Chaque référence a besoin de sa propre adresse.',
  invalidPhone: 'Veuillez saisir un numéro de téléphone, par exemple +33 6 12 34 56 78.',
  relationshipRequired: 'Veuillez choisir comment vous connaissez cette personne.',
};

const de: Messages = {
  locale: 'de-DE',
  loading: 'Wird geladen…',
  unknownLinkTitle: 'Dieser Link funktioniert nicht',
  unknownLinkBody:
    'Hinter diesem Link haben wir nichts gefunden. Prüfen Sie, ob Sie den vollständigen Link aus der E-Mail geöffnet haben, oder bitten Sie das Unternehmen, das ihn geschickt hat, um einen neuen.',
  expiredLinkTitle: 'Dieser Link ist abgelaufen',
  expiredLinkBody: 'Die Frist für Antworten über diesen Link ist vorbei. Bitten Sie das Unternehmen, das ihn geschickt hat, um einen neuen Link.',
  errorTitle: 'Etwas ist schiefgelaufen',
  networkError: 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  retry: 'Erneut versuchen',
  sentBy: (company) => `Im Auftrag von ${company} gesendet`,
  titleSelfAssessment: 'Ihre Selbsteinschätzung',
  titleNomination: 'Nennen Sie Ihre Referenzen',
  titleReferee: (candidate) => `Referenz für ${candidate}`,
  introSelfAssessment: (company, job) =>
    `${company} bittet Sie, für die Stelle ${job} einige Fragen zu Ihrer Person zu beantworten.`,
  introNomination: (company, job, count) =>
    `${company} bittet Sie, für die Stelle ${job} ${count} ${count === 1 ? 'Person' : 'Personen'} zu nennen, die über Ihre Arbeit Auskunft geben können. Jede erhält eine E-Mail mit einem kurzen Fragebogen.`,
  introReferee: (candidate, company, job) =>
    `${candidate} hat sich bei ${company} auf die Stelle ${job} beworben und Sie als Referenz genannt. Vielen Dank, dass Sie einige Fragen beantworten.`,
  validUntil: (date) => `Dieser Link ist bis ${date} gültig.`,
  questionOf: (index, total) => `Frage ${index} von ${total}`,
  answerRequired: 'Bitte beantworten Sie diese Frage.',
  counter: (used, max) => `${used} / ${max} Zeichen`,
  tooLong: (max) => `Bitte kürzen Sie diese Antwort auf höchstens ${max} Zeichen.`,
  yes: 'Ja',
  no: 'Nein',
  ratingLow: 'Schwach',
  ratingHigh: 'Hervorragend',
  saveDraft: 'Entwurf speichern',
  draftSaved: (time) => `Entwurf um ${time} gespeichert. Sie können später über diesen Link weitermachen.`,
  unsaved: 'Sie haben Änderungen, die noch nicht gespeichert sind.',
  submit: 'Absenden',
  confirmSubmitTitle: 'Antworten absenden?',
  confirmSubmitBody: 'Nach dem Absenden können Ihre Antworten nicht mehr geändert werden.',
  confirm: 'Absenden',
  back: 'Zurück',
  submittedTitle: 'Vielen Dank!',
  submittedBody: 'Ihre Antworten wurden abgesendet. Sie können nicht mehr geändert werden.',
  alreadySubmitted: 'Diese Antworten wurden bereits abgesendet und können nicht mehr geändert werden.',
  yourAnswers: 'Ihre Antworten',
  noAnswer: '(keine Antwort)',
  fixErrors: 'Einige Antworten brauchen Ihre Aufmerksamkeit.',
  decline: 'Ich möchte nicht teilnehmen',
  declineTitle: 'Ablehnen?',
  declineBody: 'Das Unternehmen erfährt, dass Sie abgelehnt haben. Das lässt sich nicht rückgängig machen.',
  declineConfirm: 'Ablehnen',
  closedTitle: 'Diese Anfrage ist abgeschlossen',
  closed: {
    COMPLETED: 'Diese Anfrage ist erledigt. Vielen Dank!',
    DECLINED: 'Diese Anfrage wurde abgelehnt.',
    EXPIRED: 'Die Frist für diese Anfrage ist abgelaufen.',
    CANCELLED: 'Das Unternehmen hat diese Anfrage abgebrochen. Sie müssen nichts weiter tun.',
    SUPERSEDED: 'Eine neuere Anfrage ersetzt diese. Bitte verwenden Sie den Link aus der neuesten E-Mail.',
  },
  refereeHeading: (index) => `Referenz ${index}`,
  name: 'Vollständiger Name',
  email: 'E-Mail-Adresse',
  phone: 'Telefonnummer',
  optional: 'optional',
  relationship: 'Woher kennen Sie die Person?',
  relationships: {
    MANAGER: 'Meine Führungskraft',
    PEER: 'Eine Kollegin oder ein Kollege',
    REPORT: 'Jemand, der mir unterstellt war',
    OTHER: 'Sonstiges',
  },
  nominate: 'An meine Referenzen senden',
  nominatedTitle: 'Ihre Referenzen wurden kontaktiert',
  nominatedBody: 'Jede Referenz hat eine E-Mail mit einem eigenen Link erhalten. Hier sehen Sie, wer schon geantwortet hat.',
  answered: 'Hat geantwortet',
  waiting: 'Hat noch nicht geantwortet',
  nameRequired: 'Bitte geben Sie einen Namen ein.',
  invalidEmail: 'Bitte geben Sie eine E-Mail-Adresse ein, zum Beispiel name@beispiel.de.',
  ownEmail: 'Das ist Ihre eigene Adresse. Bitte nennen Sie jemanden, der über Ihre Arbeit Auskunft geben kann.',
  duplicateEmail: 'Diese Referenz ist doppelt genannt. Jede Referenz braucht eine eigene Adresse.',
  invalidPhone: 'Bitte geben Sie eine Telefonnummer ein, zum Beispiel +49 151 2345 6789.',
  relationshipRequired: 'Bitte wählen Sie, woher Sie die Person kennen.',
};

const es: Messages = {
  locale: 'es-ES',
  loading: 'Cargando…',
  unknownLinkTitle: 'Este enlace no funciona',
  unknownLinkBody:
    'No hemos encontrado nada detrás de este enlace. Comprueba que has abierto el enlace completo del correo o pide uno nuevo a la empresa que lo envió.',
  expiredLinkTitle: 'Este enlace ha caducado',
  expiredLinkBody: 'El plazo para responder con este enlace ha terminado. Pide un enlace nuevo a la empresa que lo envió.',
  errorTitle: 'Algo ha salido mal',
  networkError: 'No hemos podido conectar con el servidor. Comprueba tu conexión e inténtalo de nuevo.',
  retry: 'Intentar de nuevo',
  sentBy: (company) => `Enviado en nombre de ${company}`,
  titleSelfAssessment: 'Tu autoevaluación',
  titleNomination: 'Indica tus referencias',
  titleReferee: (candidate) => `Referencia sobre ${candidate}`,
  introSelfAssessment: (company, job) =>
    `${company} te pide que respondas a unas preguntas sobre ti para el puesto ${job}.`,
  introNomination: (company, job, count) =>
    `${company} te pide que indiques ${count} ${count === 1 ? 'persona' : 'personas'} que puedan hablar de tu trabajo, para el puesto ${job}. Cada una recibirá un correo con un breve cuestionario.`,
  introReferee: (candidate, company, job) =>
    `${candidate} ha solicitado el puesto ${job} en ${company} y te ha indicado como referencia. Gracias por responder a unas preguntas.`,
  validUntil: (date) => `Este enlace es válido hasta el ${date}.`,
  questionOf: (index, total) => `Pregunta ${index} de ${total}`,
  answerRequired: 'Responde a esta pregunta, por favor.',
  counter: (used, max) => `${used} / ${max} caracteres`,
  tooLong: (max) => `Acorta esta respuesta a ${max} caracteres como máximo.`,
  yes: 'Sí',
  no: 'No',
  ratingLow: 'Deficiente',
  ratingHigh: 'Excelente',
  saveDraft: 'Guardar borrador',
  draftSaved: (time) => `Borrador guardado a las ${time}. Puedes volver a este enlace más tarde.`,
  unsaved: 'Tienes cambios que aún no se han guardado.',
  submit: 'Enviar',
  confirmSubmitTitle: '¿Enviar tus respuestas?',
  confirmSubmitBody: 'Una vez enviadas, tus respuestas no se podrán cambiar.',
  confirm: 'Enviar',
  back: 'Volver',
  submittedTitle: '¡Gracias!',
  submittedBody: 'Tus respuestas se han enviado. Ya no se pueden cambiar.',
  alreadySubmitted: 'Estas respuestas ya se enviaron y ya no se pueden cambiar.',
  yourAnswers: 'Tus respuestas',
  noAnswer: '(sin respuesta)',
  fixErrors: 'Algunas respuestas necesitan tu atención.',
  decline: 'No quiero participar',
  declineTitle: '¿Rechazar?',
  declineBody: 'La empresa sabrá que has rechazado participar. No se puede deshacer.',
  declineConfirm: 'Rechazar',
  closedTitle: 'Esta solicitud está cerrada',
  closed: {
    COMPLETED: 'Esta solicitud está completa. ¡Gracias!',
    DECLINED: 'Esta solicitud fue rechazada.',
    EXPIRED: 'El plazo para responder a esta solicitud ha terminado.',
    CANCELLED: 'La empresa canceló esta solicitud. No tienes que hacer nada más.',
    SUPERSEDED: 'Una solicitud más reciente sustituye a esta. Usa el enlace del correo más reciente.',
  },
  refereeHeading: (index) => `Referencia ${index}`,
  name: 'Nombre completo',
  email: 'Correo electrónico',
  phone: 'Teléfono',
  optional: 'opcional',
  relationship: '¿De qué conoces a esta persona?',
  relationships: {
    MANAGER: 'Mi responsable',
    PEER: 'Un compañero o compañera',
    REPORT: 'Alguien a mi cargo',
    OTHER: 'Otra relación',
  },
  nominate: 'Enviar a mis referencias',
  nominatedTitle: 'Hemos contactado con tus referencias',
  nominatedBody: 'Cada referencia ha recibido un correo con su propio enlace. Aquí puedes ver quién ha respondido.',
  answered: 'Ha respondido',
  waiting: 'Aún no ha respondido',
  nameRequired: 'Escribe un nombre, por favor.',
  invalidEmail: 'Escribe un correo electrónico, por ejemplo nombre@ejemplo.es.',
  ownEmail: 'Esta es tu propia dirección. Indica a alguien que pueda hablar de tu trabajo.',
  duplicateEmail: 'Esta referencia aparece dos veces. Cada referencia necesita su propia dirección.',
  invalidPhone: 'Escribe un número de teléfono, por ejemplo +34 612 34 56 78.',
  relationshipRequired: 'Elige de qué conoces a esta persona.',
};

/** The dictionaries, by the check's language. */
export const MESSAGES: Record<Language, Messages> = { EN: en, SV: sv, FR: fr, DE: de, ES: es };

/** The dictionary of a check's language. */
export function messagesFor(language: Language): Messages {
  return MESSAGES[language];
}

/**
 * Before the check is loaded (or when the link does not work) its language
 * is unknown: use the first of the browser's languages Vouch speaks.
 */
export function browserLanguage(languages: readonly string[] = navigator.languages ?? []): Language {
  for (const tag of languages) {
    const code = tag.slice(0, 2).toUpperCase();
    if (code in MESSAGES) return code as Language;
  }
  return 'EN';
}

/** A date such as "12 March 2026" in the dictionary's locale. */
export function formatDate(iso: string, t: Messages): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(t.locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** A time of day such as "14:05". */
export function formatTime(date: Date, t: Messages): string {
  return new Intl.DateTimeFormat(t.locale, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** A count such as "20 000" in the dictionary's locale. */
export function formatNumber(n: number, t: Messages): string {
  return new Intl.NumberFormat(t.locale).format(n);
}
