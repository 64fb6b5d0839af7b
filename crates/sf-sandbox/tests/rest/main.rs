//! Drives an in-process sandbox over HTTP with reqwest, one test per answer shape,
//! one module per Salesforce resource (as the sandbox's `src/resources` is laid
//! out), with the helpers they share in [`support`].

mod admin;
mod chatter;
mod faults;
mod limits;
mod oauth;
mod query;
mod routing;
mod search;
mod search_sosl;
mod sessions;
mod sobjects;
mod support;
