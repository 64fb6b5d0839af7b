//! The binaries the harness starts, in the workspace's target directory for the
//! profile in `SF_E2E_PROFILE` (default `debug`). `make test` builds them first.

use std::path::PathBuf;

/// The built binary `name` (`sf-lookup`, `sf-sandbox`, …).
pub fn binary_path(name: &str) -> PathBuf {
    let profile = std::env::var("SF_E2E_PROFILE").unwrap_or_else(|_| "debug".into());
    let path = target_dir().join(profile).join(name);
    assert!(
        path.exists(),
        "{} is missing: build the functions first (`cargo build --workspace --bins`, as `make test` does)",
        path.display()
    );
    path
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"))
}
