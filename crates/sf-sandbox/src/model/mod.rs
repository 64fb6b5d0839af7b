//! The org as the sandbox holds it, with Salesforce's rules for it: the
//! [`schema`] (objects and fields, as describe lists them) and the
//! [`field_paths`] through it, the [`store`] of
//! records and the checks every write passes, field [`values`] (how each type is
//! written, stored and compared), record [`ids`], [`records`] as answers, the [`seed`] an org starts from, and the access [`tokens`]
//! issued.
//! No HTTP here: the resources shape what these answer into Salesforce's responses.

pub mod field_paths;
pub mod ids;
pub mod records;
pub mod schema;
pub mod seed;
pub mod store;
pub mod tokens;
pub mod values;
