//! The seed file: the org's objects (with their fields, as describe lists them) and
//! the records it starts with. `SeedData::sample()` is the committed sample org,
//! `data/sample-org.json`; tests and the binary may load their own.
//!
//! Format:
//! ```json
//! {
//!   "organizationId": "00D…",
//!   "integrationUserId": "005…",
//!   "objects": [
//!     {"name": "Account", "keyPrefix": "001",
//!      "fields": [{"name": "Id", "type": "id", "updateable": false}, …],
//!      "records": [{"Id": "001…", "Name": "Acme Corporation", …}]}
//!   ]
//! }
//! ```

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::model::schema::ObjectDef;

const SAMPLE_ORG: &str = include_str!("../../data/sample-org.json");

/// Why a seed file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read seed file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("seed file is not valid: {0}")]
    Json(#[from] serde_json::Error),
    #[error("seed data is inconsistent: {0}")]
    Invalid(String),
}

/// One object of the seed file: its describe and its records.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct SeedObject {
    #[serde(flatten)]
    pub def: ObjectDef,
    #[serde(default)]
    pub records: Vec<Map<String, Value>>,
}

/// The org a sandbox starts with.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedData {
    pub(crate) organization_id: String,
    /// The user every token acts as (the connected app's integration user).
    pub(crate) integration_user_id: String,
    pub(crate) objects: Vec<SeedObject>,
}

impl SeedData {
    /// The committed sample org (`crates/sf-sandbox/data/sample-org.json`).
    pub fn sample() -> SeedData {
        SeedData::from_json(SAMPLE_ORG).expect("the committed sample org parses")
    }

    /// A seed from JSON text in the format above.
    pub fn from_json(text: &str) -> Result<SeedData, SeedError> {
        Ok(serde_json::from_str(text)?)
    }

    /// A seed from a JSON file in the format above.
    pub fn from_file(path: impl AsRef<Path>) -> Result<SeedData, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Io {
            path: path.display().to_string(),
            source,
        })?;
        SeedData::from_json(&text)
    }

    /// The same objects and fields with no records except users (which tokens and
    /// Chatter need): for tests that want an empty org.
    pub fn without_records(mut self) -> SeedData {
        for object in &mut self.objects {
            if object.def.name != "User" {
                object.records.clear();
            }
        }
        self
    }

    pub fn organization_id(&self) -> &str {
        &self.organization_id
    }

    pub fn integration_user_id(&self) -> &str {
        &self.integration_user_id
    }
}
