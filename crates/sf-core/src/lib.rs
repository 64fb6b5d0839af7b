//! `sf-core` does all the work of the Lambda functions that Amazon Connect contact flows
//! call to read and write a Salesforce org; each function's binary only picks its
//! [`Operation`] and calls [`function::serve`].
//!
//! The main types: [`Config`] (the environment), [`credentials::CredentialsReader`]
//! (SSM Parameter Store or inline JSON), [`Salesforce`] (the REST client with its token
//! cache, see [`auth`], which [`shared_token`] shares between containers),
//! [`invocation_context::InvocationContext`] (an invocation's deadline and what
//! happened in it), [`Operation`] (one module each under `operations`, with the modules
//! they share), [`catalog`] (the table of functions: names, served `sf_operation`s,
//! events), [`function::Function`] (the Lambda handler) and [`Error`]. Pure rules live
//! in their own modules: [`api_name`] (object and field names), [`soql`] (escaping,
//! conditions, SOQL replacements), [`sosl`] (search text, SOSL statements), [`replacements`] (the
//! template scanner behind them),
//! [`template`] (`{{name}}`), [`relative_date`] (`2d|date`), [`phone`], [`answer`]
//! (flattening for Connect), [`masking`] (phone numbers kept out of logs and errors) and
//! [`logging`], and [`metrics`] (the metric line of each invocation);
//! [`root_certificates`] reads the CAs both HTTPS clients trust, once.

pub mod answer;
pub mod api_name;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod credentials;
pub mod deadline;
pub mod error;
pub mod function;
pub mod invocation_context;
pub mod logging;
pub mod masking;
pub mod metrics;
pub mod operations;
pub mod parameters;
pub mod phone;
pub mod relative_date;
pub mod replacements;
pub mod root_certificates;
pub mod salesforce;
pub mod shared_token;
pub mod soql;
pub mod sosl;
pub mod template;

pub use config::Config;
pub use error::{Error, Result};
pub use operations::Operation;
pub use salesforce::Salesforce;
