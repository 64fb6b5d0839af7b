//! HTTP plumbing shared by every resource: the [`routes`] table, the [`guard`]
//! every data request passes, Salesforce's error answers ([`errors`]) and JSON
//! bodies in and out ([`json`]).

pub mod errors;
pub mod guard;
pub mod json;
pub mod routes;
