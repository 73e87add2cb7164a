//! Check statuses and the one pure function that moves between them.
//!
//! Every status change in Vouch goes through [`transition`]; anything it
//! refuses is refused to the caller, so the table test below is the whole
//! truth about which changes exist.
use entity::check::CheckStatus;

/// What happens to a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckEvent {
    /// The missing e-mail address is there now: send the link.
    Unblocked,
    /// The candidate saved a draft of the self-assessment.
    DraftSaved,
    /// The candidate submitted the self-assessment.
    SelfAssessmentSubmitted,
    /// The candidate named their referees.
    RefereesNominated,
    /// One referee answered, others have not yet.
    RefereeAnswered,
    /// The last referee answered.
    AllRefereesAnswered,
    /// The candidate declined.
    Declined,
    /// Nobody finished before the deadline.
    Expired,
    /// An admin cancelled, or the candidate was hired, archived or deleted.
    Cancelled,
    /// The candidate entered the trigger stage again: a new check replaces this one.
    Superseded,
}

impl CheckEvent {
    /// Every event, for tests.
    pub const ALL: [CheckEvent; 10] = [
        Self::Unblocked,
        Self::DraftSaved,
        Self::SelfAssessmentSubmitted,
        Self::RefereesNominated,
        Self::RefereeAnswered,
        Self::AllRefereesAnswered,
        Self::Declined,
        Self::Expired,
        Self::Cancelled,
        Self::Superseded,
    ];
}

/// Every status, for tests and tag clean-up.
pub const ALL_STATUSES: [CheckStatus; 9] = [
    CheckStatus::Sent,
    CheckStatus::AwaitingReferees,
    CheckStatus::InProgress,
    CheckStatus::Completed,
    CheckStatus::Declined,
    CheckStatus::Expired,
    CheckStatus::Cancelled,
    CheckStatus::Superseded,
    CheckStatus::Blocked,
];

/// A change [`transition`] refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a check that is {} cannot take {event:?}", label(*from))]
pub struct IllegalTransition {
    pub from: CheckStatus,
    pub event: CheckEvent,
}

/// Whether the check still waits for someone (and so may be cancelled,
/// superseded or expire).
pub fn is_open(status: CheckStatus) -> bool {
    matches!(
        status,
        CheckStatus::Sent | CheckStatus::AwaitingReferees | CheckStatus::InProgress | CheckStatus::Blocked
    )
}

/// The status after `event`, or why not. Pure.
pub fn transition(current: CheckStatus, event: CheckEvent) -> Result<CheckStatus, IllegalTransition> {
    use CheckEvent as E;
    use CheckStatus as S;
    let next = match (current, event) {
        (S::Blocked, E::Unblocked) => S::Sent,
        (S::Sent | S::InProgress, E::DraftSaved) => S::InProgress,
        (S::Sent | S::InProgress, E::SelfAssessmentSubmitted) => S::Completed,
        (S::Sent, E::RefereesNominated) => S::AwaitingReferees,
        (S::AwaitingReferees | S::InProgress, E::RefereeAnswered) => S::InProgress,
        (S::AwaitingReferees | S::InProgress, E::AllRefereesAnswered) => S::Completed,
        (S::Sent | S::InProgress, E::Declined) => S::Declined,
        (S::Sent | S::AwaitingReferees | S::InProgress, E::Expired) => S::Expired,
        (open, E::Cancelled) if is_open(open) => S::Cancelled,
        (open, E::Superseded) if is_open(open) => S::Superseded,
        (from, event) => return Err(IllegalTransition { from, event }),
    };
    Ok(next)
}

/// The status in words, as the `Vouch Status:` tag says it.
pub fn label(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Sent => "Sent",
        CheckStatus::AwaitingReferees => "Awaiting referees",
        CheckStatus::InProgress => "In progress",
        CheckStatus::Completed => "Completed",
        CheckStatus::Declined => "Declined",
        CheckStatus::Expired => "Expired",
        CheckStatus::Cancelled => "Cancelled",
        CheckStatus::Superseded => "Superseded",
        CheckStatus::Blocked => "Action needed",
    }
}

/// The tag prefix of statuses in Lever.
pub const STATUS_TAG_PREFIX: &str = "Vouch Status:";

/// The Lever tag of a status, e.g. `Vouch Status: Completed`.
pub fn tag(status: CheckStatus) -> String {
    format!("{STATUS_TAG_PREFIX} {}", label(status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckEvent as E;
    use CheckStatus as S;

    /// Every legal change; every other (status, event) pair must be refused.
    const LEGAL: &[(S, E, S)] = &[
        (S::Blocked, E::Unblocked, S::Sent),
        (S::Sent, E::DraftSaved, S::InProgress),
        (S::InProgress, E::DraftSaved, S::InProgress),
        (S::Sent, E::SelfAssessmentSubmitted, S::Completed),
        (S::InProgress, E::SelfAssessmentSubmitted, S::Completed),
        (S::Sent, E::RefereesNominated, S::AwaitingReferees),
        (S::AwaitingReferees, E::RefereeAnswered, S::InProgress),
        (S::InProgress, E::RefereeAnswered, S::InProgress),
        (S::AwaitingReferees, E::AllRefereesAnswered, S::Completed),
        (S::InProgress, E::AllRefereesAnswered, S::Completed),
        (S::Sent, E::Declined, S::Declined),
        (S::InProgress, E::Declined, S::Declined),
        (S::Sent, E::Expired, S::Expired),
        (S::AwaitingReferees, E::Expired, S::Expired),
        (S::InProgress, E::Expired, S::Expired),
        (S::Sent, E::Cancelled, S::Cancelled),
        (S::AwaitingReferees, E::Cancelled, S::Cancelled),
        (S::InProgress, E::Cancelled, S::Cancelled),
        (S::Blocked, E::Cancelled, S::Cancelled),
        (S::Sent, E::Superseded, S::Superseded),
        (S::AwaitingReferees, E::Superseded, S::Superseded),
        (S::InProgress, E::Superseded, S::Superseded),
        (S::Blocked, E::Superseded, S::Superseded),
    ];

    #[test]
    fn every_pair_is_either_in_the_table_or_refused() {
        let mut legal_seen = 0;
        for from in ALL_STATUSES {
            for event in CheckEvent::ALL {
                let expected = LEGAL.iter().find(|(f, e, _)| *f == from && *e == event).map(|(_, _, to)| *to);
                match (transition(from, event), expected) {
                    (Ok(to), Some(want)) => {
                        assert_eq!(to, want, "{from:?} + {event:?}");
                        legal_seen += 1;
                    }
                    (Err(err), None) => assert_eq!(err, IllegalTransition { from, event }),
                    (got, want) => panic!("{from:?} + {event:?}: got {got:?}, table says {want:?}"),
                }
            }
        }
        assert_eq!(legal_seen, LEGAL.len(), "the table has no duplicate or impossible rows");
    }

    #[test]
    fn finished_checks_never_change() {
        for from in [S::Completed, S::Declined, S::Expired, S::Cancelled, S::Superseded] {
            assert!(!is_open(from));
            for event in CheckEvent::ALL {
                assert!(transition(from, event).is_err(), "{from:?} + {event:?}");
            }
        }
    }

    #[test]
    fn tags_are_distinct_and_prefixed() {
        let tags: std::collections::HashSet<String> = ALL_STATUSES.iter().map(|s| tag(*s)).collect();
        assert_eq!(tags.len(), ALL_STATUSES.len());
        assert!(tags.contains("Vouch Status: Action needed"));
        assert!(tags.contains("Vouch Status: Awaiting referees"));
    }
}
