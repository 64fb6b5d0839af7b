//! The catalogue of the Lambda functions: one row per function, naming its
//! [`Operation`], its package and binary, the `sf_operation` names it serves (and what
//! each does), its committed Connect event and a one-line description.
//!
//! Everything that lists the functions reads this table: dispatch
//! ([`Operation::run`]), the end-to-end harness, and, through the committed
//! `infra/functions.json` that a test keeps equal to [`to_json`], the CDK app.
//! Adding an operation is one row here, its module under `operations` and its event.

use serde_json::{Value, json};

use crate::error::Result;
use crate::operations::{Action, Operation, Selection};
use crate::parameters::Parameters;

/// One Lambda function.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub operation: Operation,
    /// The package, binary and Lambda function name.
    pub name: &'static str,
    /// The `sf_operation` values the function accepts, with what each does; the first
    /// is the default.
    pub serves: &'static [(&'static str, Action)],
    /// Its committed Connect event, from the workspace root (`events/<name>.json`).
    pub event: &'static str,
    pub description: &'static str,
}

/// Every function, in the order the CDK app deploys them.
pub const FUNCTIONS: &[Entry] = &[
    Entry {
        operation: Operation::Lookup,
        name: "sf-lookup",
        serves: &[
            ("lookup", Action::Lookup(Selection::First)),
            ("lookup_all", Action::Lookup(Selection::All)),
        ],
        event: "events/lookup.json",
        description: "Salesforce lookup / lookup_all (SOQL) for Amazon Connect",
    },
    Entry {
        operation: Operation::Create,
        name: "sf-create",
        serves: &[("create", Action::Create)],
        event: "events/create.json",
        description: "Salesforce record create for Amazon Connect",
    },
    Entry {
        operation: Operation::Update,
        name: "sf-update",
        serves: &[("update", Action::Update)],
        event: "events/update.json",
        description: "Salesforce record update for Amazon Connect",
    },
    Entry {
        operation: Operation::PhoneLookup,
        name: "sf-phone-lookup",
        serves: &[("phoneLookup", Action::PhoneLookup)],
        event: "events/phoneLookup.json",
        description: "Salesforce caller lookup by phone number for Amazon Connect",
    },
    Entry {
        operation: Operation::Delete,
        name: "sf-delete",
        serves: &[("delete", Action::Delete)],
        event: "events/delete.json",
        description: "Salesforce record delete for Amazon Connect",
    },
    Entry {
        operation: Operation::Query,
        name: "sf-query",
        serves: &[("query", Action::Query(Selection::All))],
        event: "events/query.json",
        description: "Salesforce SOQL query (all records) for Amazon Connect",
    },
    Entry {
        operation: Operation::QueryOne,
        name: "sf-query-one",
        serves: &[("queryOne", Action::Query(Selection::ExactlyOne))],
        event: "events/queryOne.json",
        description: "Salesforce SOQL query (exactly one record) for Amazon Connect",
    },
    Entry {
        operation: Operation::CreateChatterPost,
        name: "sf-create-chatter-post",
        serves: &[("createChatterPost", Action::CreateChatterPost)],
        event: "events/createChatterPost.json",
        description: "Salesforce Chatter post for Amazon Connect",
    },
    Entry {
        operation: Operation::CreateChatterComment,
        name: "sf-create-chatter-comment",
        serves: &[("createChatterComment", Action::CreateChatterComment)],
        event: "events/createChatterComment.json",
        description: "Salesforce Chatter comment for Amazon Connect",
    },
    Entry {
        operation: Operation::Search,
        name: "sf-search",
        serves: &[
            ("search", Action::Search(Selection::All)),
            ("searchSOSL", Action::SearchSosl(Selection::All)),
        ],
        event: "events/search.json",
        description: "Salesforce search (parameterized or a SOSL statement) for Amazon Connect",
    },
    Entry {
        operation: Operation::SearchOne,
        name: "sf-search-one",
        serves: &[
            ("searchOne", Action::Search(Selection::ExactlyOne)),
            ("searchOneSOSL", Action::SearchSosl(Selection::ExactlyOne)),
        ],
        event: "events/searchOne.json",
        description: "Salesforce search (parameterized or a SOSL statement; exactly one record) for Amazon Connect",
    },
];

impl Entry {
    /// The row of `operation`.
    pub fn of(operation: Operation) -> &'static Entry {
        FUNCTIONS
            .iter()
            .find(|entry| entry.operation == operation)
            .expect("every operation has a row in FUNCTIONS")
    }

    /// What the event's `sf_operation` asks of this function (the default when it names
    /// none), or the error naming what the function serves.
    pub fn action(&self, parameters: &Parameters) -> Result<Action> {
        let served: Vec<&str> = self.served().collect();
        let named = parameters.operation(&served)?;
        // `operation` answers one of `served`, so the default is never reached.
        let index = served.iter().position(|name| *name == named).unwrap_or(0);
        Ok(self.serves[index].1)
    }

    /// The `sf_operation` names the function serves, the default first.
    pub fn served(&self) -> impl Iterator<Item = &'static str> {
        self.serves.iter().map(|(name, _)| *name)
    }

    /// The `sf_operation` the function serves when an event names none.
    pub fn default_operation(&self) -> &'static str {
        self.serves[0].0
    }
}

/// The catalogue as the committed `infra/functions.json` holds it: pretty JSON, ending
/// in a newline.
pub fn to_json() -> String {
    let functions: Vec<Value> = FUNCTIONS
        .iter()
        .map(|entry| {
            json!({
                "name": entry.name,
                "operations": entry.served().collect::<Vec<_>>(),
                "event": entry.event,
                "description": entry.description,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({ "functions": functions }))
        .expect("the catalogue serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// `path` from the workspace root.
    fn in_workspace(path: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path)
    }

    #[test]
    fn infra_functions_json_is_the_catalogue() {
        let path = in_workspace("infra/functions.json");
        let generated = to_json();
        if std::env::var_os("UPDATE_FUNCTIONS_JSON").is_some_and(|value| value == "1") {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} differs from sf-core's catalogue (crates/sf-core/src/catalog.rs); \
             regenerate it with `UPDATE_FUNCTIONS_JSON=1 cargo test -p sf-core --lib catalog` \
             and commit it",
            path.display()
        );
    }

    #[test]
    fn names_and_served_operations_are_unique_and_events_exist() {
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|entry| entry.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FUNCTIONS.len());
        let mut served: Vec<&str> = FUNCTIONS.iter().flat_map(Entry::served).collect();
        let count = served.len();
        served.sort_unstable();
        served.dedup();
        assert_eq!(served.len(), count, "an sf_operation served twice");
        for entry in FUNCTIONS {
            assert_eq!(Entry::of(entry.operation).name, entry.name);
            assert_eq!(
                entry.event,
                format!("events/{}.json", entry.default_operation())
            );
            // Each operation it serves has its own event, the default's being `event`.
            for operation in entry.served() {
                let event = format!("events/{operation}.json");
                assert!(
                    in_workspace(&event).is_file(),
                    "{} has no event {event}",
                    entry.name,
                );
            }
        }
    }
}
