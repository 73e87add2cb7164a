//! Fault injection knobs: latency, server errors, and webhook delivery
//! faults (drop, duplicate, reorder).

use rand::Rng;
use serde::{Deserialize, Serialize};

/// The faults in force. Changed through `/_sim/faults` or the Rust handle.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Faults {
    /// Added to every data API call, milliseconds.
    pub latency_ms: u64,
    /// Probability (0.0–1.0) that a data API call answers `error_status`.
    pub error_rate: f64,
    /// The next N data API calls answer `error_status`.
    pub fail_next: u32,
    /// 500 or 503 (default 500).
    pub error_status: Option<u16>,
    /// The next N webhook deliveries are dropped (logged, never sent).
    pub drop_next_deliveries: u32,
    /// The next N webhook deliveries are sent twice (identical bodies).
    pub duplicate_next_deliveries: u32,
    /// Hold deliveries until this many are waiting, then send them in
    /// reverse order (0 = off). `/_sim/deliveries/flush` releases a partial batch.
    pub reorder_batch: u32,
}

impl Faults {
    /// Validates ranges.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.error_rate) {
            return Err("errorRate must be between 0.0 and 1.0".into());
        }
        if let Some(s) = self.error_status {
            if !(500..=599).contains(&s) {
                return Err("errorStatus must be a 5xx status".into());
            }
        }
        Ok(())
    }

    /// Whether this call should fail; consumes one of `fail_next`.
    pub fn take_failure(&mut self) -> Option<u16> {
        let status = self.error_status.unwrap_or(500);
        if self.fail_next > 0 {
            self.fail_next -= 1;
            return Some(status);
        }
        if self.error_rate > 0.0 && rand::thread_rng().gen_bool(self.error_rate.min(1.0)) {
            return Some(status);
        }
        None
    }
}
