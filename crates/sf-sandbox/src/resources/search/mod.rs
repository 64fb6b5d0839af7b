//! The search resources: Parameterized Search (`POST /parameterizedSearch`,
//! [`parameterized`]) and SOSL search (`GET /search?q=`, [`sosl`]). Both read
//! their search text with [`crate::sosl::text`] and match it the same way
//! ([`matching`]).

pub mod matching;
pub mod parameterized;
pub mod sosl;
