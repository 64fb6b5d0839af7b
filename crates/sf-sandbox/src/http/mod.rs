//! HTTP plumbing shared by every resource: the [`routes`] table, the [`guard`]
//! every data request passes, Salesforce's error answers ([`errors`]), JSON
//! bodies in and out ([`json`]) and how a path is read before routing ([`paths`]).

pub mod errors;
pub mod guard;
pub mod json;
pub mod paths;
pub mod routes;
