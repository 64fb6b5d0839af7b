//! The Salesforce REST resources the sandbox serves, one module per resource as
//! Salesforce's REST API reference lists them: the OAuth token endpoint, Query,
//! sObjects, Search, Chatter and Versions. Each handler reads its request, asks the model,
//! and answers in Salesforce's shapes; refusals go through
//! [`crate::http::errors::ApiError`].

pub mod chatter;
pub mod oauth;
pub mod query;
pub mod search;
pub mod sobjects;
pub mod versions;
