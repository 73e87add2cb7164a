//! Seed files: JSON describing companies, their users, postings, stages,
//! candidates and API keys, and OAuth clients. See `seeds/demo.json`.

use serde::{Deserialize, Serialize};

use crate::inputs::{NewApiKey, NewCandidate, NewCompany, NewPosting, NewStage, NewUser};

/// A whole seed file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Seed {
    #[serde(default)]
    pub clients: Vec<ClientSeed>,
    #[serde(default)]
    pub companies: Vec<CompanySeed>,
}

/// An OAuth client registration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientSeed {
    pub client_id: String,
    pub client_secret: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Allowed redirect URIs (exact match); empty allows any.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

/// One company and its contents, created in this order: users, stages,
/// postings, candidates, API keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompanySeed {
    #[serde(flatten)]
    pub company: NewCompany,
    #[serde(default)]
    pub users: Vec<NewUser>,
    #[serde(default)]
    pub postings: Vec<NewPosting>,
    #[serde(default)]
    pub stages: Vec<NewStage>,
    #[serde(default)]
    pub candidates: Vec<NewCandidate>,
    #[serde(default)]
    pub api_keys: Vec<NewApiKey>,
}

impl Seed {
    /// Reads a seed file.
    pub fn from_file(path: &std::path::Path) -> anyhow::Result<Seed> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read seed {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("invalid seed {}: {e}", path.display()))
    }
}
