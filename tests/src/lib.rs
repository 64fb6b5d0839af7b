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

use sf_core::catalog::FUNCTIONS;

/// Every function, from sf-core's catalogue: its binary's name and the `sf_operation` it
/// serves by default, which names its committed event (see [`demo_event`]).
pub fn functions() -> impl Iterator<Item = (&'static str, &'static str)> {
    FUNCTIONS
        .iter()
        .map(|entry| (entry.name, entry.default_operation()))
}

/// The committed Connect event of the function serving `operation` (`lookup`, …), the
/// one `make demo` sends.
pub fn demo_event(operation: &str) -> serde_json::Value {
    let entry = FUNCTIONS
        .iter()
        .find(|entry| entry.served().any(|served| served == operation))
        .unwrap_or_else(|| panic!("no function serves {operation:?}"));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(entry.event);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}
