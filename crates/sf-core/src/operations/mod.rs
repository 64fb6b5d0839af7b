//! The operations a contact flow can call, one Lambda function each (see
//! [`crate::catalog`]).
//!
//! Every operation reads and checks all of its parameters before it sends anything to
//! Salesforce, so a bad value costs no request and changes nothing. Each operation file
//! holds one operation (or a pair that differ only in how many records they answer
//! with) and imports only what the operations share, each in a module named for it:
//! `selection` (how many records an answer holds), `soql_query` (running SOQL over
//! its batches), `uri_length` (a statement that must fit in a request URI),
//! `search_records` (a search's request and answer) and `record_body` (a create's or
//! update's fields).

mod chatter;
mod create;
mod delete;
mod lookup;
mod phone_lookup;
mod query;
mod search;
mod search_sosl;
mod update;

// What the operations share, each named for what it does.
mod record_body;
mod search_records;
mod selection;
mod soql_query;
mod uri_length;

pub use selection::Selection;

use serde_json::Value;
use time::OffsetDateTime;

use crate::answer::ResponseFormat;
use crate::catalog::Entry;
use crate::error::{Error, Result};
use crate::invocation_context::InvocationContext;
use crate::masking::shown_value;
use crate::parameters::Parameters;
use crate::salesforce::{ApiRequest, Salesforce};

/// One Lambda function's operation; [`crate::catalog`] holds each one's names, event
/// and description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Lookup,
    Create,
    Update,
    PhoneLookup,
    Delete,
    Query,
    QueryOne,
    CreateChatterPost,
    CreateChatterComment,
    Search,
    SearchOne,
}

/// What one `sf_operation` name does: the catalogue pairs each served name with one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Lookup(Selection),
    Create,
    Update,
    PhoneLookup,
    Delete,
    Query(Selection),
    CreateChatterPost,
    CreateChatterComment,
    Search(Selection),
    /// `searchSOSL`, `searchOneSOSL`: the flow's own SOSL statement.
    SearchSosl(Selection),
}

impl Operation {
    /// The `sf_operation` values this function accepts; the first is the default.
    pub fn served(self) -> Vec<&'static str> {
        Entry::of(self).served().collect()
    }

    /// The package, binary and Lambda function name.
    pub fn function_name(self) -> &'static str {
        Entry::of(self).name
    }

    /// Does at start-up what the operation would otherwise do on its first invocation,
    /// while a caller waits: phoneLookup loads the numbering metadata of every country
    /// (about 14 ms of parsing at opt-level "z").
    pub fn prepare(self) {
        if self == Operation::PhoneLookup {
            crate::phone::load_metadata();
        }
    }

    /// Runs the operation for one invocation and returns Connect's answer.
    pub async fn run(self, call: &Invocation<'_>) -> Result<Value> {
        match Entry::of(self).action(call.parameters)? {
            Action::Lookup(selection) => lookup::run(call, selection).await,
            Action::Create => create::run(call).await,
            Action::Update => update::run(call).await,
            Action::PhoneLookup => phone_lookup::run(call).await,
            Action::Delete => delete::run(call).await,
            Action::Query(selection) => query::run(call, selection).await,
            Action::CreateChatterPost => chatter::post(call).await,
            Action::CreateChatterComment => chatter::comment(call).await,
            Action::Search(selection) => search::run(call, selection).await,
            Action::SearchSosl(selection) => search_sosl::run(call, selection).await,
        }
    }
}

/// What one invocation works with.
pub struct Invocation<'a> {
    pub salesforce: &'a Salesforce,
    pub parameters: &'a Parameters,
    /// The deadline, and what happened on the way to Salesforce.
    pub context: InvocationContext,
    /// The moment of the invocation, for relative dates.
    pub now: OffsetDateTime,
}

impl Invocation<'_> {
    fn format(&self) -> Result<ResponseFormat> {
        ResponseFormat::from_parameters(self.parameters)
    }

    async fn send(&self, request: &ApiRequest) -> Result<Value> {
        Ok(self.salesforce.send(request, &self.context).await?.body)
    }
}

/// The `id` of a record or feed element Salesforce just created.
fn created_id(body: &Value) -> Result<String> {
    body.get("id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::UnexpectedResponse("the created item's answer has no `id`".into()))
}

/// Checks that parameter `parameter` holds a record id: 15 or 18 letters and digits.
/// Ids go into URL paths, so nothing else may pass.
fn record_id(parameter: &str, value: &str) -> Result<String> {
    let id = value.trim();
    if matches!(id.len(), 15 | 18) && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(id.to_owned())
    } else {
        Err(Error::invalid(
            parameter,
            format!(
                "a 15- or 18-character Salesforce record id (letters and digits), got {}",
                shown_value(value)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_are_15_or_18_alphanumerics() {
        assert_eq!(
            record_id("sf_id", " 5006g00000AaIs7AAF ").unwrap(),
            "5006g00000AaIs7AAF"
        );
        assert_eq!(
            record_id("sf_id", "5006g00000AaIs7").unwrap(),
            "5006g00000AaIs7"
        );
        for bad in [
            "",
            "5006g00000AaIs7AA",
            "../../sobjects/User",
            "5006g00000AaIs7AA/",
            "5006g00000AaIs7ĀAF",
        ] {
            let error = record_id("sf_id", bad).unwrap_err();
            assert!(error.to_string().contains("`sf_id`"), "{error}");
        }
    }

    #[test]
    fn names_are_unique_and_match_the_contract() {
        let mut names: Vec<&str> = crate::catalog::FUNCTIONS
            .iter()
            .map(|entry| entry.operation.function_name())
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), crate::catalog::FUNCTIONS.len());
        assert_eq!(Operation::QueryOne.served(), ["queryOne"]);
    }
}
