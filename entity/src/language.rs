//! Languages a questionnaire can be written in, stored as ISO 639-1 codes.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A language Vouch can send questionnaires in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[sea_orm(string_value = "en")]
    En,
    #[sea_orm(string_value = "sv")]
    Sv,
    #[sea_orm(string_value = "fr")]
    Fr,
    #[sea_orm(string_value = "de")]
    De,
    #[sea_orm(string_value = "es")]
    Es,
}

impl Language {
    /// Every supported language, in the order the app lists them.
    pub const ALL: [Language; 5] = [Language::En, Language::Sv, Language::Fr, Language::De, Language::Es];

    /// The language's English name, for messages.
    pub fn english_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Sv => "Swedish",
            Language::Fr => "French",
            Language::De => "German",
            Language::Es => "Spanish",
        }
    }
}
