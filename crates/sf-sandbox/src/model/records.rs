//! Records as the REST API answers them: `attributes` (type and URL) on each,
//! the selected fields in order, parent fields nested under the relationship name
//! and `null` where the parent is missing. Query, sObject read and search all
//! shape their records here.

use serde_json::{Map, Value};

use crate::model::field_paths::{Hop, ResolvedField};
use crate::model::schema::ObjectDef;
use crate::model::store::{Record, Store};

static NULL: Value = Value::Null;

/// The value at the end of `field`'s path from `record`; null when a parent on
/// the way is missing.
pub fn value_of<'a>(store: &'a Store, record: &'a Record, field: &ResolvedField) -> &'a Value {
    let mut current = record;
    for hop in &field.hops {
        let parent = current
            .get(&hop.foreign_key)
            .and_then(Value::as_str)
            .and_then(|id| store.find(id));
        match parent {
            Some((_, parent)) => current = parent,
            None => return &NULL,
        }
    }
    current.get(&field.name).unwrap_or(&NULL)
}

/// `{"type": "Contact", "url": "/services/data/v66.0/sobjects/Contact/003…"}`
pub fn attributes(object: &str, record: &Record, version: &str) -> Value {
    let id = record.get("Id").and_then(Value::as_str).unwrap_or_default();
    serde_json::json!({
        "type": object,
        "url": format!("/services/data/{version}/sobjects/{object}/{id}"),
    })
}

/// The record's `fields` as the REST API answers them.
pub fn project(
    store: &Store,
    object: &ObjectDef,
    record: &Record,
    fields: &[ResolvedField],
    version: &str,
) -> Value {
    let mut out = Map::new();
    out.insert(
        "attributes".into(),
        attributes(&object.name, record, version),
    );
    for field in fields {
        insert_field(&mut out, store, record, &field.hops, &field.name, version);
    }
    Value::Object(out)
}

fn insert_field(
    out: &mut Map<String, Value>,
    store: &Store,
    record: &Record,
    hops: &[Hop],
    name: &str,
    version: &str,
) {
    let Some((hop, rest)) = hops.split_first() else {
        out.insert(
            name.to_string(),
            record.get(name).cloned().unwrap_or(Value::Null),
        );
        return;
    };
    let parent = record
        .get(&hop.foreign_key)
        .and_then(Value::as_str)
        .and_then(|id| store.find(id));
    match parent {
        None => {
            out.entry(hop.relationship.clone()).or_insert(Value::Null);
        }
        Some((parent_object, parent)) => {
            let entry = out.entry(hop.relationship.clone()).or_insert_with(|| {
                let mut nested = Map::new();
                nested.insert(
                    "attributes".into(),
                    attributes(&parent_object.name, parent, version),
                );
                Value::Object(nested)
            });
            if let Value::Object(nested) = entry {
                insert_field(nested, store, parent, rest, name, version);
            }
        }
    }
}
