//! E-mail texts per language. English and Swedish are written out; other
//! languages fall back to English.
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
    /// The candidate (referee requests).
    pub candidate: &'a str,
    /// The job (project name).
    pub job: &'a str,
    /// The link to follow.
    pub link: &'a str,
}

/// The message of `kind` in `language` (English when not translated).
pub fn render(kind: EmailKind, language: Language, v: &Values<'_>) -> Rendered {
    let (subject, body) = match (language, kind) {
        (Language::Sv, EmailKind::Invitation) => (
            format!("Du har bjudits in till Vouch av {}", v.company),
            format!("Hej {},\n\n{} använder Vouch för referenstagning för tjänsten {}. Välj ett lösenord här för att se kandidaterna:\n\n{}\n\nLänken kan användas en gång.", v.name, v.company, v.job, v.link),
        ),
        (Language::Sv, EmailKind::CandidateLink) => (
            format!("{}: nästa steg i din ansökan", v.company),
            format!("Hej {},\n\nTack för din ansökan till {} hos {}. Fortsätt här:\n\n{}\n\nLänken är personlig; dela den inte.", v.name, v.job, v.company, v.link),
        ),
        (Language::Sv, EmailKind::RefereeRequest) => (
            format!("Referens för {} ({})", v.candidate, v.company),
            format!("Hej {},\n\n{} har angett dig som referens för tjänsten {} hos {}. Svara på några frågor här:\n\n{}", v.name, v.candidate, v.job, v.company, v.link),
        ),
        (Language::Sv, EmailKind::Reminder) => (
            format!("Påminnelse från {}", v.company),
            format!("Hej {},\n\nDin länk går snart ut. Fortsätt här:\n\n{}", v.name, v.link),
        ),
        (_, EmailKind::Invitation) => (
            format!("You are invited to Vouch by {}", v.company),
            format!("Hello {},\n\n{} uses Vouch for reference checks on {}. Choose a password here to see the candidates:\n\n{}\n\nThe link works once.", v.name, v.company, v.job, v.link),
        ),
        (_, EmailKind::CandidateLink) => (
            format!("{}: the next step of your application", v.company),
            format!("Hello {},\n\nThank you for applying for {} at {}. Continue here:\n\n{}\n\nThe link is personal; please do not share it.", v.name, v.job, v.company, v.link),
        ),
        (_, EmailKind::RefereeRequest) => (
            format!("Reference for {} ({})", v.candidate, v.company),
            format!("Hello {},\n\n{} named you as a referee for {} at {}. Please answer a few questions here:\n\n{}", v.name, v.candidate, v.job, v.company, v.link),
        ),
        (_, EmailKind::Reminder) => (
            format!("A reminder from {}", v.company),
            format!("Hello {},\n\nYour link expires soon. Continue here:\n\n{}", v.name, v.link),
        ),
    };
    Rendered { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_is_written_and_others_fall_back_to_english() {
        let v =
            Values { name: "Ann", company: "Acme", candidate: "Bo", job: "Engineer", link: "https://x/y" };
        for kind in
            [EmailKind::Invitation, EmailKind::CandidateLink, EmailKind::RefereeRequest, EmailKind::Reminder]
        {
            let en = render(kind, Language::En, &v);
            let sv = render(kind, Language::Sv, &v);
            assert_ne!(en, sv, "{kind:?} has Swedish text");
            assert_eq!(render(kind, Language::De, &v), en, "{kind:?} falls back to English");
            assert!(en.body.contains("https://x/y") && sv.body.contains("https://x/y"));
        }
    }
}
