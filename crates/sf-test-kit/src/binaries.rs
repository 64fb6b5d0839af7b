//! The binaries the harness starts, built on first use so that a bare `cargo test`
//! needs no build before it: one `cargo build --workspace --bins` per test process
//! (the same build `make demo` makes, so neither rebuilds the other's dependencies),
//! for the profile in `SF_E2E_PROFILE` (`debug`, the default, or `release` for the
//! benchmarks). Cargo puts them where it puts everything, `CARGO_TARGET_DIR` included.
//! `SF_E2E_BIN_DIR` names a directory of binaries built by hand instead (nothing is
//! built then), for measuring builds the workspace does not make: another opt-level,
//! another build-time setting of a dependency.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use escargot::format::Message;

/// The built binary `name` (`sf-lookup`, `sf-sandbox`, …).
pub fn binary_path(name: &str) -> PathBuf {
    static BUILT: OnceLock<HashMap<String, PathBuf>> = OnceLock::new();
    if let Some(directory) = std::env::var_os("SF_E2E_BIN_DIR") {
        let path = PathBuf::from(directory).join(name);
        assert!(path.exists(), "SF_E2E_BIN_DIR has no {name}");
        return path;
    }
    BUILT
        .get_or_init(build)
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("the workspace has no binary {name:?}"))
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target"))
}

/// `SF_E2E_PROFILE`, `debug` when unset.
fn release() -> bool {
    match std::env::var("SF_E2E_PROFILE").as_deref() {
        Err(_) | Ok("debug") => false,
        Ok("release") => true,
        Ok(other) => panic!("SF_E2E_PROFILE must be debug or release, not {other:?}"),
    }
}

/// Builds every binary of the workspace and answers their paths by name.
fn build() -> HashMap<String, PathBuf> {
    let mut cargo = escargot::CargoBuild::new()
        .manifest_path(crate::workspace_root().join("Cargo.toml"))
        .arg("--workspace")
        .bins();
    if release() {
        cargo = cargo.release();
    }
    let messages = cargo
        .exec()
        .unwrap_or_else(|error| panic!("cannot run cargo to build the binaries: {error}"));
    let mut binaries = HashMap::new();
    for message in messages {
        let message =
            message.unwrap_or_else(|error| panic!("building the binaries failed: {error}"));
        if let Ok(Message::CompilerArtifact(artifact)) = message.decode()
            && let Some(executable) = artifact.executable
        {
            binaries.insert(artifact.target.name.to_string(), executable.to_path_buf());
        }
    }
    binaries
}
