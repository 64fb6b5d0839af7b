//! The state every handler shares: settings fixed at start, and the org, tokens
//! and query cursors behind locks (taken with [`crate::lock::lock`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use jsonwebtoken::DecodingKey;
use serde_json::Value;

use crate::api_usage::ApiUsage;
use crate::config::Credentials;
use crate::faults::Faults;
use crate::lock::lock;
use crate::model::store::Store;
use crate::model::tokens::Tokens;
use crate::stats::Stats;

/// The records of one query, kept so `nextRecordsUrl` can serve later batches.
pub type Cursors = HashMap<String, Arc<Vec<Value>>>;

pub struct AppState {
    /// `http://127.0.0.1:PORT`: the instance URL tokens point at.
    pub base_url: String,
    pub credentials: Credentials,
    pub jwt_key: Option<DecodingKey>,
    pub token_lifetime: Duration,
    pub batch_size: usize,
    pub store: Mutex<Store>,
    pub tokens: Mutex<Tokens>,
    pub cursors: Mutex<Cursors>,
    pub faults: Faults,
    pub stats: Stats,
    /// The org's daily API requests, counted by the data guard.
    pub api_usage: ApiUsage,
}

impl AppState {
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// A fresh access token for the integration user.
    pub fn issue_token(&self) -> String {
        let organization_id = self.store().organization_id.clone();
        lock(&self.tokens).issue(
            &organization_id,
            self.token_lifetime,
            self.faults.token_epoch(),
        )
    }
}
