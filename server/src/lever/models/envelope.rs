//! The two wrappers every Lever answer comes in.

use serde::Deserialize;

/// A single object: `{"data": {...}}`.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope<T> {
    /// The object.
    pub data: T,
}

/// One page of a list: `{"data": [...], "hasNext": bool, "next": "..."}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The page's items.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// Whether another page follows.
    #[serde(default)]
    pub has_next: bool,
    /// Opaque token: pass it back as `offset` to get the next page.
    #[serde(default)]
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// The token of the next page, if there is one. A `hasNext` without a
    /// token (or an empty one) ends the list rather than looping forever.
    pub fn next_offset(&self) -> Option<&str> {
        match (&self.has_next, self.next.as_deref()) {
            (true, Some(token)) if !token.is_empty() => Some(token),
            _ => None,
        }
    }
}
