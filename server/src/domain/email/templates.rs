//! E-mail texts per language: every message in every language a
//! questionnaire can be written in (English, Swedish, French, German,
//! Spanish), so a check's e-mails speak the check's language.
use entity::Language;

/// Which message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    /// A Lever user invited into Vouch.
    Invitation,
    /// The candidate's link to a self-assessment or to name referees.
    CandidateLink,
    /// A referee's link to the reference questionnaire.
    RefereeRequest,
    /// A reminder before the link expires.
    Reminder,
}

impl EmailKind {
    /// As stored in the outbox.
    pub fn code(self) -> &'static str {
        match self {
            Self::Invitation => "INVITATION",
            Self::CandidateLink => "CANDIDATE_LINK",
            Self::RefereeRequest => "REFEREE_REQUEST",
            Self::Reminder => "REMINDER",
        }
    }
}

/// A message ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// The values a message may mention.
#[derive(Debug, Clone, Default)]
pub struct Values<'a> {
    /// Whom the message greets.
    pub name: &'a str,
    /// The hiring company.
    pub company: &'a str,
    /// The candidate (referee requests and referee reminders; empty otherwise).
    pub candidate: &'a str,
    /// The job (project name).
    pub job: &'a str,
    /// The link to follow.
    pub link: &'a str,
}

/// The message of `kind` in `language`. A reminder rendered here does not
/// name its deadline; [`reminder`] does.
pub fn render(kind: EmailKind, language: Language, v: &Values<'_>) -> Rendered {
    let (subject, body) = match kind {
        EmailKind::Invitation => invitation(language, v),
        EmailKind::CandidateLink => candidate_link(language, v),
        EmailKind::RefereeRequest => referee_request(language, v),
        EmailKind::Reminder => return reminder(language, v, None),
    };
    Rendered { subject, body }
}

/// A reminder to act before `deadline` (e.g. `2025-06-01 14:00 UTC`). To a
/// referee when `v.candidate` is set (it names whom the reference is
/// about), else to the candidate.
pub fn reminder(language: Language, v: &Values<'_>, deadline: Option<&str>) -> Rendered {
    let (name, company, candidate, job, link) = (v.name, v.company, v.candidate, v.job, v.link);
    let referee = !candidate.is_empty();
    let (subject, body) = match language {
        Language::En => {
            let when = deadline.map_or_else(|| "soon".to_owned(), |d| format!("on {d}"));
            if referee {
                (format!("Reminder: reference for {candidate} ({company})"),
                 format!("Hello {name},\n\n{company} is still waiting for your reference for {candidate} ({job}). Your link expires {when}. Answer here:\n\n{link}"))
            } else {
                (format!("Reminder: {company} is waiting for your answer"),
                 format!("Hello {name},\n\n{company} is still waiting for your answer for {job}. Your link expires {when}. Continue here:\n\n{link}"))
            }
        }
        Language::Sv => {
            let when = deadline.map_or_else(|| "snart".to_owned(), str::to_owned);
            if referee {
                (format!("Påminnelse: referens för {candidate} ({company})"),
                 format!("Hej {name},\n\n{company} väntar fortfarande på din referens för {candidate} (tjänsten {job}). Din länk går ut {when}. Svara här:\n\n{link}"))
            } else {
                (format!("Påminnelse: {company} väntar på ditt svar"),
                 format!("Hej {name},\n\n{company} väntar fortfarande på ditt svar för tjänsten {job}. Din länk går ut {when}. Fortsätt här:\n\n{link}"))
            }
        }
        Language::Fr => {
            let when = deadline.map_or_else(|| "bientôt".to_owned(), |d| format!("le {d}"));
            if referee {
                (format!("Rappel : référence pour {candidate} ({company})"),
                 format!("Bonjour {name},\n\n{company} attend encore votre référence pour {candidate} (poste {job}). Votre lien expire {when}. Répondez ici :\n\n{link}"))
            } else {
                (format!("Rappel : {company} attend votre réponse"),
                 format!("Bonjour {name},\n\n{company} attend encore votre réponse pour le poste {job}. Votre lien expire {when}. Continuez ici :\n\n{link}"))
            }
        }
        Language::De => {
            let when = deadline.map_or_else(|| "bald".to_owned(), |d| format!("am {d}"));
            if referee {
                (format!("Erinnerung: Referenz für {candidate} ({company})"),
                 format!("Hallo {name},\n\n{company} wartet noch auf Ihre Referenz für {candidate} (Stelle {job}). Ihr Link läuft {when} ab. Hier können Sie antworten:\n\n{link}"))
            } else {
                (format!("Erinnerung: {company} wartet auf Ihre Antwort"),
                 format!("Hallo {name},\n\n{company} wartet noch auf Ihre Antwort zur Stelle {job}. Ihr Link läuft {when} ab. Hier geht es weiter:\n\n{link}"))
            }
        }
        Language::Es => {
            let when = deadline.map_or_else(|| "pronto".to_owned(), |d| format!("el {d}"));
            if referee {
                (format!("Recordatorio: referencia para {candidate} ({company})"),
                 format!("Hola {name}:\n\n{company} aún espera tu referencia sobre {candidate} (puesto {job}). Tu enlace caduca {when}. Responde aquí:\n\n{link}"))
            } else {
                (format!("Recordatorio: {company} espera tu respuesta"),
                 format!("Hola {name}:\n\n{company} aún espera tu respuesta para el puesto {job}. Tu enlace caduca {when}. Continúa aquí:\n\n{link}"))
            }
        }
    };
    Rendered { subject, body }
}

fn invitation(language: Language, v: &Values<'_>) -> (String, String) {
    let (name, company, job, link) = (v.name, v.company, v.job, v.link);
    match language {
        Language::En => (
            format!("You are invited to Vouch by {company}"),
            format!("Hello {name},\n\n{company} uses Vouch for reference checks on {job}. Choose a password here to see the candidates:\n\n{link}\n\nThe link works once."),
        ),
        Language::Sv => (
            format!("Du har bjudits in till Vouch av {company}"),
            format!("Hej {name},\n\n{company} använder Vouch för referenstagning för tjänsten {job}. Välj ett lösenord här för att se kandidaterna:\n\n{link}\n\nLänken kan användas en gång."),
        ),
        Language::Fr => (
            format!("{company} vous invite sur Vouch"),
            format!("Bonjour {name},\n\n{company} utilise Vouch pour les prises de références du poste {job}. Choisissez un mot de passe ici pour voir les candidats :\n\n{link}\n\nLe lien ne fonctionne qu'une fois."),
        ),
        Language::De => (
            format!("{company} lädt Sie zu Vouch ein"),
            format!("Hallo {name},\n\n{company} nutzt Vouch für Referenzprüfungen für die Stelle {job}. Wählen Sie hier ein Passwort, um die Kandidaten zu sehen:\n\n{link}\n\nDer Link funktioniert nur einmal."),
        ),
        Language::Es => (
            format!("{company} te invita a Vouch"),
            format!("Hola {name}:\n\n{company} usa Vouch para las referencias del puesto {job}. Elige una contraseña aquí para ver a los candidatos:\n\n{link}\n\nEl enlace solo funciona una vez."),
        ),
    }
}

fn candidate_link(language: Language, v: &Values<'_>) -> (String, String) {
    let (name, company, job, link) = (v.name, v.company, v.job, v.link);
    match language {
        Language::En => (
            format!("{company}: the next step of your application"),
            format!("Hello {name},\n\nThank you for applying for {job} at {company}. Continue here:\n\n{link}\n\nThe link is personal; please do not share it."),
        ),
        Language::Sv => (
            format!("{company}: nästa steg i din ansökan"),
            format!("Hej {name},\n\nTack för din ansökan till {job} hos {company}. Fortsätt här:\n\n{link}\n\nLänken är personlig; dela den inte."),
        ),
        Language::Fr => (
            format!("{company} : la prochaine étape de votre candidature"),
            format!("Bonjour {name},\n\nMerci pour votre candidature au poste {job} chez {company}. Continuez ici :\n\n{link}\n\nLe lien est personnel ; merci de ne pas le partager."),
        ),
        Language::De => (
            format!("{company}: der nächste Schritt Ihrer Bewerbung"),
            format!("Hallo {name},\n\nvielen Dank für Ihre Bewerbung als {job} bei {company}. Hier geht es weiter:\n\n{link}\n\nDer Link ist persönlich; bitte geben Sie ihn nicht weiter."),
        ),
        Language::Es => (
            format!("{company}: el siguiente paso de tu candidatura"),
            format!("Hola {name}:\n\nGracias por tu candidatura al puesto {job} en {company}. Continúa aquí:\n\n{link}\n\nEl enlace es personal; no lo compartas."),
        ),
    }
}

fn referee_request(language: Language, v: &Values<'_>) -> (String, String) {
    let (name, company, candidate, job, link) = (v.name, v.company, v.candidate, v.job, v.link);
    match language {
        Language::En => (
            format!("Reference for {candidate} ({company})"),
            format!("Hello {name},\n\n{candidate} named you as a referee for {job} at {company}. Please answer a few questions here:\n\n{link}"),
        ),
        Language::Sv => (
            format!("Referens för {candidate} ({company})"),
            format!("Hej {name},\n\n{candidate} har angett dig som referens för tjänsten {job} hos {company}. Svara på några frågor här:\n\n{link}"),
        ),
        Language::Fr => (
            format!("Référence pour {candidate} ({company})"),
            format!("Bonjour {name},\n\n{candidate} vous a indiqué comme référence pour le poste {job} chez {company}. Merci de répondre à quelques questions ici :\n\n{link}"),
        ),
        Language::De => (
            format!("Referenz für {candidate} ({company})"),
            format!("Hallo {name},\n\n{candidate} hat Sie als Referenz für die Stelle {job} bei {company} angegeben. Bitte beantworten Sie hier einige Fragen:\n\n{link}"),
        ),
        Language::Es => (
            format!("Referencia para {candidate} ({company})"),
            format!("Hola {name}:\n\n{candidate} te ha indicado como referencia para el puesto {job} en {company}. Responde a unas preguntas aquí:\n\n{link}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [EmailKind; 3] =
        [EmailKind::Invitation, EmailKind::CandidateLink, EmailKind::RefereeRequest];

    fn values(candidate: &str) -> Values<'_> {
        Values { name: "Ann", company: "Acme", candidate, job: "Engineer", link: "https://x/respond/y" }
    }

    #[test]
    fn every_message_is_written_in_every_language() {
        for kind in KINDS {
            let texts: Vec<Rendered> =
                Language::ALL.iter().map(|l| render(kind, *l, &values("Bo"))).collect();
            for (i, text) in texts.iter().enumerate() {
                assert!(
                    text.body.contains("https://x/respond/y"),
                    "{kind:?} {:?} has the link",
                    Language::ALL[i]
                );
                assert!(
                    text.body.contains("Ann") && text.subject.contains("Acme"),
                    "{kind:?} greets and names"
                );
                for other in &texts[i + 1..] {
                    assert_ne!(text, other, "{kind:?} differs between languages");
                }
            }
        }
    }

    #[test]
    fn reminders_name_the_deadline_and_whom_they_are_about() {
        for language in Language::ALL {
            let to_candidate = reminder(language, &values(""), Some("2030-01-02 10:00 UTC"));
            let to_referee = reminder(language, &values("Bo Berg"), Some("2030-01-02 10:00 UTC"));
            for text in [&to_candidate, &to_referee] {
                assert!(text.body.contains("2030-01-02 10:00 UTC"), "{language:?}: {}", text.body);
                assert!(text.body.contains("https://x/respond/y"), "{language:?}");
            }
            assert!(to_referee.subject.contains("Bo Berg") && to_referee.body.contains("Bo Berg"));
            assert!(!to_candidate.body.contains("Bo Berg"));
            let undated = render(EmailKind::Reminder, language, &values(""));
            assert!(undated.body.contains("https://x/respond/y") && !undated.body.contains("2030"));
        }
        assert_ne!(
            reminder(Language::En, &values(""), None),
            reminder(Language::Sv, &values(""), None),
            "translated"
        );
    }
}
