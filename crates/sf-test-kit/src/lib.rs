//! What every test target of the workspace shares, so that a test says what it checks
//! and not how to build an event, a configuration or a running function:
//!
//! - [`events`]: Connect events, the committed ones in `events/*.json` and built ones,
//!   with [`Event`] to set or remove parameters;
//! - [`emf`]: metric lines checked against the Embedded Metric Format specification;
//! - [`configuration`]: a function's environment ([`Env`]), one builder for the
//!   `SF_*`/`AWS_*` variables, read by `sf_core::Config::from_lookup` in-process or
//!   handed to a function binary; [`sandbox_credentials`] for the sandbox's org;
//! - [`catalog`]: every function, read from the committed `infra/functions.json`;
//! - the running stack: [`Stack`] (an in-process sandbox, a [`RuntimeApi`] and a
//!   [`FunctionProcess`]), the binaries built on first use ([`binaries`]), [`Moto`]
//!   (a `moto_server` child) and [`ParameterStore`] (an in-process SSM endpoint with
//!   atomic writes and counted calls, for the shared token cache); each of them over
//!   HTTPS too, with certificates from one test CA the functions trust through
//!   `SSL_CERT_FILE` ([`Tls`]).
//!
//! It does not depend on sf-core, whose own tests use it.

pub mod binaries;
pub mod catalog;
pub mod configuration;
pub mod emf;
pub mod events;
pub mod moto;
pub mod parameter_store;
pub mod port;
pub mod process;
pub mod runtime_api;
pub mod sandbox_credentials;
pub mod stack;
pub mod tls;

pub use binaries::{binary_path, target_dir};
pub use catalog::functions;
pub use configuration::Env;
pub use events::{Event, demo_event, demo_lookup_answer, event};
pub use moto::Moto;
pub use parameter_store::ParameterStore;
pub use port::{ReservedPort, free_port};
pub use process::FunctionProcess;
pub use runtime_api::{Invocation, RuntimeApi};
pub use stack::Stack;
pub use tls::Tls;

/// The workspace's root directory, where `events/`, `infra/` and `.venv/` are.
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
