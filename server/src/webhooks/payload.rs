//! A Lever delivery's body, read strictly enough to verify and store it, and
//! its signature (LEVER.md, Webhooks).
//!
//! Lever signs only `token` followed by the decimal `triggeredAt`; `data` is
//! not signed, so it is kept as a hint and never trusted. `triggeredAt` is
//! read as an integer straight from the JSON text (never through f64, which
//! would round large values and break the signature).
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The events Vouch acts on. Others are stored and ignored.
pub const HANDLED_EVENTS: [&str; 5] = [
    "applicationCreated",
    "candidateStageChange",
    "candidateHired",
    "candidateArchiveChange",
    "candidateDeleted",
];

/// Longest `token` or stage id accepted (Lever's are far shorter).
const MAX_FIELD: usize = 200;
/// Longest `event` and opportunity id accepted: the inbox columns' widths,
/// so that a delivery that verifies can always be stored (PostgreSQL would
/// refuse a longer one, and Lever would be told 503 on every retry).
const MAX_EVENT: usize = 64;
const MAX_OPPORTUNITY_ID: usize = 100;
/// Digest bytes kept in a dedupe key: 128 bits, far past any chance of two
/// deliveries of one millisecond colliding, and half the index space of
/// the whole SHA-256.
const DEDUPE_DIGEST_BYTES: usize = 16;

/// A parsed delivery. The signature is checked separately, against the
/// connection's tokens.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub event: String,
    pub token: String,
    pub triggered_at: i64,
    pub signature: String,
    pub opportunity_id: Option<String>,
    pub data: Value,
}

/// The body's fields Vouch reads; any others are ignored. A JSON `null`
/// reads as absent.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    signature: Option<Value>,
    #[serde(default)]
    event: Option<Value>,
    #[serde(default)]
    token: Option<Value>,
    #[serde(default, rename = "triggeredAt")]
    triggered_at: Option<Value>,
    #[serde(default)]
    data: Option<Value>,
}

/// Why a body was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// 400: the message names the field and what was expected.
    Malformed(String),
    /// 401: no signature to check.
    MissingSignature,
}

impl Delivery {
    pub fn parse(body: &[u8]) -> Result<Self, PayloadError> {
        // Straight into the fields that matter (no map of every key first):
        // refusing a forged delivery should cost little.
        let envelope: Envelope = serde_json::from_slice(body).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => PayloadError::Malformed(format!("body: {e}")),
            _ => PayloadError::Malformed(format!("body: not valid JSON ({e})")),
        })?;
        // serde would also take an array for the struct.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(PayloadError::Malformed("body: expected a JSON object".into()));
        }
        let Envelope { signature, event, token, triggered_at, data } = envelope;
        let signature = match signature {
            Some(Value::String(s)) if !s.is_empty() => s,
            _ => return Err(PayloadError::MissingSignature),
        };
        let event = text(event, "event", MAX_EVENT)?;
        let token = text(token, "token", MAX_FIELD)?;
        let triggered_at = match triggered_at {
            Some(Value::Number(n)) => n.as_i64().filter(|t| *t >= 0),
            None => return Err(missing("triggeredAt", "an integer (epoch milliseconds)")),
            Some(_) => None,
        }
        .ok_or_else(|| {
            PayloadError::Malformed(
                "triggeredAt: expected a non-negative integer (epoch milliseconds)".into(),
            )
        })?;
        let data = match data {
            None => Value::Object(Map::new()),
            Some(data @ Value::Object(_)) => data,
            Some(_) => return Err(PayloadError::Malformed("data: expected a JSON object".into())),
        };
        // PostgreSQL stores no NUL character in text or JSON: a delivery
        // carrying one could never be stored, so it is refused here rather
        // than answered 503 on every retry.
        if has_nul(&data) {
            return Err(PayloadError::Malformed("data: contains a NUL character (\\u0000)".into()));
        }
        let opportunity_id = match data.get("opportunityId") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if !s.is_empty() && s.len() <= MAX_OPPORTUNITY_ID => Some(s.clone()),
            Some(_) => {
                return Err(PayloadError::Malformed(format!(
                    "data.opportunityId: expected a string of 1 to {MAX_OPPORTUNITY_ID} characters"
                )))
            }
        };
        Ok(Self { event, token, triggered_at, signature, opportunity_id, data })
    }

    /// Whether Vouch acts on this event type.
    pub fn is_handled(&self) -> bool {
        HANDLED_EVENTS.contains(&self.event.as_str())
    }

    /// For a stage change, the stage moved into as `data` says (unsigned:
    /// a hint for matching catch-up rows, never acted on).
    pub fn stage_hint(&self) -> Option<&str> {
        if self.event != "candidateStageChange" {
            return None;
        }
        self.data.get("toStageId").and_then(|v| v.as_str()).filter(|s| !s.is_empty() && s.len() <= MAX_FIELD)
    }

    /// Lever's de-duplication key (`event`, `token`, `triggeredAt`,
    /// `opportunityId`), scoped to the connection: `triggeredAt`, a colon,
    /// and the first 128 bits of a digest of all five, in hex.
    ///
    /// The leading `triggeredAt` is for the unique index, not for
    /// uniqueness (the digest covers it too): Lever sends events roughly in
    /// the order they happened, so new keys land at the index's right edge
    /// instead of on a random page each. A batch of deliveries then dirties
    /// a few index pages, not one per delivery, and so writes a few pages
    /// to the WAL per commit instead of dozens. Migration
    /// m20261206_000001 gave stored rows the same form.
    pub fn dedupe_key(&self, connection_id: uuid::Uuid) -> String {
        let mut hash = Sha256::new();
        for part in [
            connection_id.to_string().as_str(),
            &self.event,
            &self.token,
            &self.triggered_at.to_string(),
            self.opportunity_id.as_deref().unwrap_or(""),
        ] {
            // Length-prefixed, so no two tuples give the same bytes.
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        let digest = hash.finalize();
        format!("{}:{}", self.triggered_at, hex::encode(&digest[..DEDUPE_DIGEST_BYTES]))
    }
}

fn missing(field: &str, expected: &str) -> PayloadError {
    PayloadError::Malformed(format!("{field}: missing; expected {expected}"))
}

fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

fn text(value: Option<Value>, field: &str, max: usize) -> Result<String, PayloadError> {
    match value {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= max && !s.contains('\0') => Ok(s),
        None => Err(missing(field, "a string")),
        Some(_) => Err(PayloadError::Malformed(format!(
            "{field}: expected a string of 1 to {max} characters, without NUL"
        ))),
    }
}

type HmacSha256 = Hmac<Sha256>;

/// Lowercase hex HMAC-SHA256 of `token` ‖ decimal `triggered_at`, keyed with
/// the signing token: what Lever puts in `signature`.
pub fn sign(signing_token: &str, token: &str, triggered_at: i64) -> String {
    hex::encode(SigningKey::new(signing_token).mac(token, triggered_at).finalize().into_bytes())
}

/// Checks `signature` in constant time (the comparison does not stop at the
/// first differing byte). Upper-case hex is accepted.
pub fn verify(signing_token: &str, token: &str, triggered_at: i64, signature: &str) -> bool {
    SigningKey::new(signing_token).verifies(token, triggered_at, signature)
}

/// A signing token with HMAC's key set-up done once, for checking many
/// deliveries against it (the keyring keeps these, not the token's text).
#[derive(Clone)]
pub struct SigningKey(HmacSha256);

impl SigningKey {
    pub fn new(signing_token: &str) -> Self {
        // HMAC takes keys of any length; this cannot fail.
        Self(HmacSha256::new_from_slice(signing_token.as_bytes()).unwrap_or_else(|_| unreachable!()))
    }

    /// True when the delivery's `signature` was made with this key.
    pub fn signed(&self, delivery: &Delivery) -> bool {
        self.verifies(&delivery.token, delivery.triggered_at, &delivery.signature)
    }

    fn verifies(&self, token: &str, triggered_at: i64, signature: &str) -> bool {
        let mut given = [0u8; 32];
        if hex::decode_to_slice(signature, &mut given).is_err() {
            return false;
        }
        self.mac(token, triggered_at).verify_slice(&given).is_ok()
    }

    /// The HMAC of `token` ‖ decimal `triggered_at`, not yet finalised.
    fn mac(&self, token: &str, triggered_at: i64) -> HmacSha256 {
        let mut mac = self.0.clone();
        mac.update(token.as_bytes());
        mac.update(triggered_at.to_string().as_bytes());
        mac
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_levers_test_vector() {
        let expected = "5c197b952a8ebff65b90ee66ae40971910c25bc41e169470bd757bf0f12280d8";
        assert_eq!(sign("whsec-test-123", "abc123", 1_717_000_000_123), expected);
        assert!(verify("whsec-test-123", "abc123", 1_717_000_000_123, expected));
        assert!(verify("whsec-test-123", "abc123", 1_717_000_000_123, &expected.to_uppercase()));
        assert!(!verify("whsec-test-124", "abc123", 1_717_000_000_123, expected));
        assert!(!verify("whsec-test-123", "abc123", 1_717_000_000_124, expected));
        assert!(!verify("whsec-test-123", "abc123", 1_717_000_000_123, "not hex"));
        assert!(!verify("whsec-test-123", "abc123", 1_717_000_000_123, &expected[..62]));
        assert!(!verify("whsec-test-123", "abc123", 1_717_000_000_123, &format!("{expected}00")));
    }

    fn body(triggered_at: &str) -> Vec<u8> {
        format!(r#"{{"event":"candidateHired","token":"t","signature":"ab","triggeredAt":{triggered_at},"data":{{"opportunityId":"o"}}}}"#).into_bytes()
    }

    #[test]
    fn triggered_at_must_be_an_exact_integer() {
        assert_eq!(
            Delivery::parse(&body("9007199254740993")).expect("integer").triggered_at,
            9_007_199_254_740_993
        );
        for bad in
            ["1.5", "1717000000123.0", "\"1717000000123\"", "-1", "1e3", "null", "99999999999999999999"]
        {
            let err = Delivery::parse(&body(bad)).expect_err(bad);
            assert!(
                matches!(&err, PayloadError::Malformed(m) if m.starts_with("triggeredAt")),
                "{bad}: {err:?}"
            );
        }
    }

    #[test]
    fn missing_pieces_are_named() {
        let no_sig = br#"{"event":"candidateHired","token":"t","triggeredAt":1}"#;
        assert_eq!(Delivery::parse(no_sig).expect_err("no signature"), PayloadError::MissingSignature);
        let no_token = br#"{"event":"candidateHired","signature":"ab","triggeredAt":1}"#;
        assert!(
            matches!(Delivery::parse(no_token), Err(PayloadError::Malformed(m)) if m.starts_with("token"))
        );
        assert!(matches!(Delivery::parse(b"[1]"), Err(PayloadError::Malformed(_))));
        assert!(matches!(Delivery::parse(br#"["s", "e", "t", 1, {}]"#), Err(PayloadError::Malformed(_))));
        let twice = br#"{"signature": "ab", "event": "a", "event": "b", "token": "t", "triggeredAt": 1}"#;
        assert!(
            matches!(Delivery::parse(twice), Err(PayloadError::Malformed(m)) if m.contains("duplicate field `event`")),
            "a field given twice is refused, not read as one of the two"
        );
        assert!(matches!(Delivery::parse(b"nope"), Err(PayloadError::Malformed(_))));
    }

    #[test]
    fn what_the_inbox_could_not_store_is_refused() {
        let with = |event: &str, token: &str, data: &str| {
            format!(
                r#"{{"event":"{event}","token":"{token}","signature":"ab","triggeredAt":1,"data":{data}}}"#
            )
            .into_bytes()
        };
        let cases = [
            ("event", with(&"e".repeat(65), "t", "{}")),
            ("token", with("candidateHired", &"t".repeat(201), "{}")),
            ("token", with("candidateHired", "a\\u0000b", "{}")),
            (
                "data.opportunityId",
                with("candidateHired", "t", &format!(r#"{{"opportunityId":"{}"}}"#, "o".repeat(101))),
            ),
            ("data", with("candidateHired", "t", r#"{"opportunityId":"o","x":["\u0000"]}"#)),
            ("data", with("candidateHired", "t", r#"{"opportunityId":"o","\u0000":1}"#)),
        ];
        for (field, body) in cases {
            let err = Delivery::parse(&body).expect_err(field);
            assert!(
                matches!(&err, PayloadError::Malformed(m) if m.starts_with(&format!("{field}:"))),
                "{field}: {err:?}"
            );
        }
        assert!(Delivery::parse(&with(
            &"e".repeat(64),
            &"t".repeat(200),
            &format!(r#"{{"opportunityId":"{}"}}"#, "o".repeat(100))
        ))
        .is_ok());
    }

    #[test]
    fn dedupe_key_covers_the_four_fields() {
        let a = Delivery::parse(&body("1")).expect("parses");
        let conn = uuid::Uuid::new_v4();
        let mut b = a.clone();
        b.opportunity_id = Some("other".into());
        assert_ne!(a.dedupe_key(conn), b.dedupe_key(conn));
        let mut c = a.clone();
        c.signature = "different signature, same delivery".into();
        assert_eq!(a.dedupe_key(conn), c.dedupe_key(conn));
        assert_ne!(a.dedupe_key(conn), a.dedupe_key(uuid::Uuid::new_v4()));
    }

    /// The key leads with `triggeredAt` (so later events sort after earlier
    /// ones of the same number of digits), then 32 hex digits of digest:
    /// the form migration m20261206_000001 gives stored rows.
    #[test]
    fn dedupe_key_leads_with_triggered_at() {
        let conn = uuid::Uuid::new_v4();
        let a = Delivery::parse(&body("1")).expect("parses");
        let key = a.dedupe_key(conn);
        let (at, digest) = key.split_once(':').expect("a colon");
        assert_eq!(at, a.triggered_at.to_string());
        assert_eq!(digest.len(), 32);
        assert!(digest.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{digest}");
        let mut later = a.clone();
        later.triggered_at += 1;
        assert!(later.dedupe_key(conn) > key);
    }
}
