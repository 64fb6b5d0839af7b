//! The search resources: Parameterized Search (`POST /parameterizedSearch`,
//! [`parameterized`]) now, and SOSL search (`GET /search?q=`) beside it as
//! `sosl.rs` when it comes. Both match terms the same way ([`matching`]).

pub mod matching;
pub mod parameterized;
