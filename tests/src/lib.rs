//! Harness for the end-to-end tests and benchmarks: each function runs as its real
//! release or debug binary, talking to a Lambda Runtime API served here exactly as
//! Lambda serves it, with Salesforce played by `sf-sandbox` and SSM by `moto_server`.
//!
//! - [`RuntimeApi`]: the Runtime API (`/2018-06-01/runtime/…`): hands out queued events,
//!   takes answers and errors, records an init error;
//! - [`FunctionProcess`]: a function binary started against it, its log lines kept;
//! - [`Moto`]: a `moto_server` child holding the credentials;
//! - [`ParameterStore`]: an in-process SSM endpoint with atomic writes and counted calls,
//!   for the shared token cache.

pub mod moto;
pub mod parameter_store;
pub mod port;
pub mod process;
pub mod runtime_api;

pub use moto::Moto;
pub use parameter_store::ParameterStore;
pub use port::{ReservedPort, free_port};
pub use process::{FunctionProcess, binary_path};
pub use runtime_api::{Invocation, RuntimeApi};

/// The eleven functions, each with the name of its committed event in `events/`.
pub const FUNCTIONS: [(&str, &str); 11] = [
    ("sf-lookup", "lookup"),
    ("sf-create", "create"),
    ("sf-update", "update"),
    ("sf-phone-lookup", "phoneLookup"),
    ("sf-delete", "delete"),
    ("sf-query", "query"),
    ("sf-query-one", "queryOne"),
    ("sf-create-chatter-post", "createChatterPost"),
    ("sf-create-chatter-comment", "createChatterComment"),
    ("sf-search", "search"),
    ("sf-search-one", "searchOne"),
];

/// The committed Connect event for `operation` (`lookup`, …) from `events/`, the one
/// `make demo` sends.
pub fn demo_event(operation: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../events")
        .join(format!("{operation}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}
