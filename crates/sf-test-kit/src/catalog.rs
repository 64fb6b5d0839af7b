//! Every function, as the committed `infra/functions.json` lists them: sf-core writes
//! that file from its table of operations and a test of sf-core keeps it in step, so
//! reading it here lets sf-core's own tests use this crate without a dependency cycle.

use std::sync::OnceLock;

use serde::Deserialize;

/// One function of the catalogue.
#[derive(Debug, Deserialize)]
pub struct Function {
    /// The binary's and the Lambda function's name (`sf-lookup`, …).
    pub name: String,
    /// The `sf_operation` names it serves, the default first.
    pub operations: Vec<String>,
    /// Its committed Connect event, relative to the workspace root (`events/lookup.json`).
    pub event: String,
}

impl Function {
    /// The `sf_operation` it serves when an event names none.
    pub fn default_operation(&self) -> &str {
        &self.operations[0]
    }
}

#[derive(Deserialize)]
struct File {
    functions: Vec<Function>,
}

/// The catalogue, read once.
pub fn all() -> &'static [Function] {
    static FUNCTIONS: OnceLock<Vec<Function>> = OnceLock::new();
    FUNCTIONS.get_or_init(|| {
        let path = crate::workspace_root().join("infra/functions.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let file: File = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{} is not the catalogue: {error}", path.display()));
        file.functions
    })
}

/// The function serving `operation` (`lookup`, `lookup_all`, …).
pub fn serving(operation: &str) -> &'static Function {
    all()
        .iter()
        .find(|function| function.operations.iter().any(|served| served == operation))
        .unwrap_or_else(|| panic!("no function serves {operation:?}"))
}

/// Every function: its binary's name and the `sf_operation` it serves by default,
/// which names its committed event (see [`crate::demo_event`]).
pub fn functions() -> impl Iterator<Item = (&'static str, &'static str)> {
    all()
        .iter()
        .map(|function| (function.name.as_str(), function.default_operation()))
}
