//! The one way the sandbox takes a lock. Locks guard in-memory work only, never
//! held across an await, so a plain `std::sync::Mutex` is enough; a test thread
//! that panics while holding one must not make the sandbox unusable for the rest.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// The guard of `mutex`, even if a panicking thread poisoned it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
