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
pub mod process;
pub mod runtime_api;

pub use moto::{Moto, free_port};
pub use parameter_store::ParameterStore;
pub use process::{FunctionProcess, binary_path};
pub use runtime_api::{Invocation, RuntimeApi};
