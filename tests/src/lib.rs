//! The end-to-end tests' harness lives in `sf-test-kit`, which every test target shares;
//! this re-export keeps the `sf_e2e::…` paths of earlier tests working.

pub use sf_test_kit::*;
