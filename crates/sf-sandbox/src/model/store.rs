//! The org's records, in memory: create, read, update, delete with the checks
//! Salesforce makes on the way in (known fields, writable fields, value types,
//! required fields, references that point at a record of the right object), and
//! the fields Salesforce fills in itself (ids, `CreatedDate`, `CaseNumber`,
//! `Name` from `FirstName` + `LastName`, compound addresses). Records keep their
//! insertion order, which is the order queries answer in when there is no ORDER BY.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error_codes::ErrorCode;
use crate::model::ids::{canonical_id, make_id};
use crate::model::schema::{FieldDef, FieldType, ObjectDef, Schema};
use crate::model::seed::{SeedData, SeedError};
use crate::model::values::{ValueError, coerce_for_write, now_datetime};

/// A record: canonical field name → stored value (`Id` included).
pub type Record = Map<String, Value>;

/// Record numbers of ids the sandbox makes start here, well past the seed's.
const FIRST_GENERATED_NUMBER: u64 = 100_000;

/// Why a write was refused, with the error Salesforce answers for it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WriteError {
    #[error("sObject type '{0}' is not supported.")]
    UnknownObject(String),
    #[error("The requested resource does not exist")]
    NotFound,
    #[error("No such column '{field}' on sobject of type {object}")]
    UnknownField { object: String, field: String },
    #[error("Unable to create/update fields: {}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", .0.join(", "))]
    NotUpdateable(Vec<String>),
    #[error("Required fields are missing: [{}]", .0.join(", "))]
    RequiredMissing(Vec<String>),
    #[error("{message}")]
    BadValue {
        code: ErrorCode,
        message: String,
        field: String,
    },
}

impl WriteError {
    /// Salesforce's `errorCode` for this refusal.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            WriteError::UnknownObject(_) | WriteError::NotFound => ErrorCode::NotFound,
            WriteError::UnknownField { .. } => ErrorCode::InvalidField,
            WriteError::NotUpdateable(_) => ErrorCode::InvalidFieldForInsertUpdate,
            WriteError::RequiredMissing(_) => ErrorCode::RequiredFieldMissing,
            WriteError::BadValue { code, .. } => *code,
        }
    }

    /// The fields Salesforce names in the error's `fields` member.
    pub fn fields(&self) -> Vec<String> {
        match self {
            WriteError::NotUpdateable(fields) | WriteError::RequiredMissing(fields) => {
                fields.clone()
            }
            WriteError::BadValue { field, .. } => vec![field.clone()],
            _ => Vec::new(),
        }
    }
}

/// Who is writing: an API client (checked as Salesforce checks it) or the sandbox
/// itself (seeding, Chatter, tests), which may set any field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    Client,
    System,
}

pub struct Store {
    schema: Schema,
    /// Canonical object name → its records in insertion order.
    records: HashMap<String, Vec<Record>>,
    next_number: u64,
    pub organization_id: String,
    pub integration_user_id: String,
}

impl Store {
    /// A store holding the seed's objects and records, or why the seed is unusable.
    pub fn from_seed(seed: &SeedData) -> Result<Store, SeedError> {
        let schema = Schema {
            objects: seed.objects.iter().map(|o| o.def.clone()).collect(),
        };
        let mut store = Store {
            records: schema
                .objects
                .iter()
                .map(|o| (o.name.clone(), Vec::new()))
                .collect(),
            schema,
            next_number: FIRST_GENERATED_NUMBER,
            organization_id: seed.organization_id.clone(),
            integration_user_id: seed.integration_user_id.clone(),
        };
        for object in &seed.objects {
            for record in &object.records {
                store
                    .create(&object.def.name, record.clone(), Writer::System)
                    .map_err(|e| {
                        SeedError::Invalid(format!(
                            "{} record {}: {e}",
                            object.def.name,
                            record.get("Id").unwrap_or(&Value::Null)
                        ))
                    })?;
            }
        }
        store.check_seed_references()?;
        if store.find(&store.integration_user_id).is_none() {
            return Err(SeedError::Invalid(format!(
                "integrationUserId {} is not a User record",
                store.integration_user_id
            )));
        }
        Ok(store)
    }

    /// Seed records may name each other in any order, so references are checked
    /// once all are loaded.
    fn check_seed_references(&self) -> Result<(), SeedError> {
        for object in &self.schema.objects {
            for record in &self.records[&object.name] {
                for field in object
                    .fields
                    .iter()
                    .filter(|f| f.kind == FieldType::Reference)
                {
                    if let Some(Value::String(id)) = record.get(&field.name)
                        && let Err(e) = self.check_reference(field, id)
                    {
                        return Err(SeedError::Invalid(format!(
                            "{} record {}: {e}",
                            object.name, record["Id"]
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The records of `object` (canonical name), in insertion order.
    pub fn records(&self, object: &str) -> &[Record] {
        self.records.get(object).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The record with id `id` (15 or 18 characters) of any object.
    pub fn find(&self, id: &str) -> Option<(&ObjectDef, &Record)> {
        let id = canonical_id(id)?;
        let object = self.schema.object_for_id(&id)?;
        let record = self.records[&object.name]
            .iter()
            .find(|r| r.get("Id").and_then(Value::as_str) == Some(id.as_str()))?;
        Some((object, record))
    }

    /// The record of `object` (any case) with id `id`, or why there is none.
    pub fn get(&self, object: &str, id: &str) -> Result<(&ObjectDef, &Record), WriteError> {
        let def = self
            .schema
            .object(object)
            .ok_or_else(|| WriteError::UnknownObject(object.to_string()))?;
        match self.find(id) {
            Some((found, record)) if found.name == def.name => Ok((found, record)),
            _ => Err(WriteError::NotFound),
        }
    }

    /// Creates a record of `object` from `body` and answers its id.
    pub fn create(
        &mut self,
        object: &str,
        body: Map<String, Value>,
        writer: Writer,
    ) -> Result<String, WriteError> {
        let def = self
            .schema
            .object(object)
            .ok_or_else(|| WriteError::UnknownObject(object.to_string()))?
            .clone();
        let mut record = self.checked_fields(&def, body, writer)?;
        for field in &def.fields {
            if let Some(default) = &field.default_value
                && record.get(&field.name).is_none_or(Value::is_null)
            {
                record.insert(field.name.clone(), default.clone());
            }
        }
        let id = match record.get("Id").and_then(Value::as_str) {
            // Only the system writer gets this far with an Id (the seed's fixed ids).
            Some(id) => id.to_string(),
            None => self.new_id(&def.key_prefix),
        };
        if !id.starts_with(&def.key_prefix) || self.find(&id).is_some() {
            return Err(WriteError::BadValue {
                code: ErrorCode::DuplicateValue,
                message: format!("duplicate or misplaced id: {id}"),
                field: "Id".into(),
            });
        }
        let mut stored = Record::new();
        stored.insert("Id".into(), Value::String(id.clone()));
        stored.extend(record);
        let now = now_datetime();
        for audit in ["CreatedDate", "LastModifiedDate"] {
            if def.field(audit).is_some() && !stored.contains_key(audit) {
                stored.insert(audit.into(), Value::String(now.clone()));
            }
        }
        for owner in ["OwnerId", "CreatedById"] {
            if def.field(owner).is_some() && stored.get(owner).is_none_or(Value::is_null) {
                stored.insert(
                    owner.into(),
                    Value::String(self.integration_user_id.clone()),
                );
            }
        }
        self.assign_autonumbers(&def, &mut stored);
        fill_computed(&def, &mut stored);
        check_required(&def, &stored)?;
        self.records
            .get_mut(&def.name)
            .expect("every object has a record list")
            .push(in_field_order(&def, stored));
        Ok(id)
    }

    /// Sets the fields in `body` on the record `id` of `object`.
    pub fn update(
        &mut self,
        object: &str,
        id: &str,
        body: Map<String, Value>,
        writer: Writer,
    ) -> Result<(), WriteError> {
        let (def, current) = self.get(object, id)?;
        let (def, mut updated) = (def.clone(), current.clone());
        let changes = self.checked_fields(&def, body, writer)?;
        updated.extend(changes);
        if def.field("LastModifiedDate").is_some() {
            updated.insert("LastModifiedDate".into(), Value::String(now_datetime()));
        }
        fill_computed(&def, &mut updated);
        check_required(&def, &updated)?;
        let id = updated["Id"].clone();
        let slot = self
            .records
            .get_mut(&def.name)
            .expect("every object has a record list")
            .iter_mut()
            .find(|r| r["Id"] == id)
            .expect("the record was just found");
        *slot = in_field_order(&def, updated);
        Ok(())
    }

    /// Deletes the record `id` of `object`.
    pub fn delete(&mut self, object: &str, id: &str) -> Result<(), WriteError> {
        let (def, record) = self.get(object, id)?;
        let (name, id) = (def.name.clone(), record["Id"].clone());
        self.records
            .get_mut(&name)
            .expect("every object has a record list")
            .retain(|r| r["Id"] != id);
        Ok(())
    }

    /// The body's fields under their canonical names, checked and in stored form.
    fn checked_fields(
        &self,
        def: &ObjectDef,
        body: Map<String, Value>,
        writer: Writer,
    ) -> Result<Record, WriteError> {
        let mut checked = Record::new();
        let mut not_updateable = Vec::new();
        for (name, value) in body {
            // Clients often send back a record they read, attributes and all.
            if name == "attributes" {
                continue;
            }
            let field = def.field(&name).ok_or_else(|| WriteError::UnknownField {
                object: def.name.clone(),
                field: name.clone(),
            })?;
            let writable = field.updateable && !field.is_computed();
            if writer == Writer::Client && !writable {
                not_updateable.push(field.name.clone());
                continue;
            }
            let value = match field.kind {
                // Computed values come from the seed as-is and are recomputed anyway.
                FieldType::Address => value,
                FieldType::Autonumber => value,
                _ => coerce_for_write(field, value).map_err(|e| value_error(field, e))?,
            };
            if writer == Writer::Client
                && field.kind == FieldType::Reference
                && let Value::String(id) = &value
            {
                self.check_reference(field, id)?;
            }
            checked.insert(field.name.clone(), value);
        }
        if !not_updateable.is_empty() {
            return Err(WriteError::NotUpdateable(not_updateable));
        }
        Ok(checked)
    }

    /// A reference must point at an existing record of one of the field's objects.
    fn check_reference(&self, field: &FieldDef, id: &str) -> Result<(), WriteError> {
        let target = self.schema.object_for_id(id).map(|o| o.name.as_str());
        let allowed = field
            .reference_to
            .iter()
            .any(|r| Some(r.as_str()) == target);
        if !allowed {
            return Err(WriteError::BadValue {
                code: ErrorCode::FieldIntegrityException,
                message: format!("{}: id value of incorrect type: {id}", field.name),
                field: field.name.clone(),
            });
        }
        if self.find(id).is_none() {
            return Err(WriteError::BadValue {
                code: ErrorCode::InvalidCrossReferenceKey,
                message: "invalid cross reference id".into(),
                field: field.name.clone(),
            });
        }
        Ok(())
    }

    fn new_id(&mut self, key_prefix: &str) -> String {
        loop {
            let id = make_id(key_prefix, self.next_number);
            self.next_number += 1;
            if self.find(&id).is_none() {
                return id;
            }
        }
    }

    /// Gives each empty auto-number field the next number of its object (8 digits,
    /// as `CaseNumber` is by default).
    fn assign_autonumbers(&self, def: &ObjectDef, record: &mut Record) {
        for field in def
            .fields
            .iter()
            .filter(|f| f.kind == FieldType::Autonumber)
        {
            if record.get(&field.name).is_some_and(|v| !v.is_null()) {
                continue;
            }
            let highest = self.records[&def.name]
                .iter()
                .filter_map(|r| r.get(&field.name)?.as_str()?.parse::<u64>().ok())
                .max()
                .unwrap_or(1000);
            record.insert(
                field.name.clone(),
                Value::String(format!("{:08}", highest + 1)),
            );
        }
    }
}

fn value_error(field: &FieldDef, error: ValueError) -> WriteError {
    let (code, message) = match error {
        ValueError::Parse(m) => (ErrorCode::JsonParserError, m),
        ValueError::MalformedId(m) => (ErrorCode::MalformedId, m),
        ValueError::TooLong(m) => (ErrorCode::StringTooLong, m),
    };
    WriteError::BadValue {
        code,
        message,
        field: field.name.clone(),
    }
}

fn check_required(def: &ObjectDef, record: &Record) -> Result<(), WriteError> {
    let missing: Vec<String> = def
        .fields
        .iter()
        .filter(|f| f.required && record.get(&f.name).is_none_or(Value::is_null))
        .map(|f| f.name.clone())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(WriteError::RequiredMissing(missing))
    }
}

/// Recomputes the compound fields: a name from its parts, an address object.
fn fill_computed(def: &ObjectDef, record: &mut Record) {
    for field in def.fields.iter().filter(|f| !f.compound_of.is_empty()) {
        let value = if field.kind == FieldType::Address {
            address_value(field, record)
        } else {
            let parts: Vec<&str> = field
                .compound_of
                .iter()
                .filter_map(|part| record.get(part)?.as_str())
                .collect();
            if parts.is_empty() {
                Value::Null
            } else {
                Value::String(parts.join(" "))
            }
        };
        record.insert(field.name.clone(), value);
    }
}

/// Salesforce's compound address: `MailingAddress` answers `{"city": MailingCity, …}`.
fn address_value(field: &FieldDef, record: &Record) -> Value {
    let prefix = field.name.trim_end_matches("Address");
    let mut address = Map::new();
    let mut any = false;
    for part in &field.compound_of {
        let key = part.strip_prefix(prefix).unwrap_or(part);
        let mut chars = key.chars();
        let key: String = chars
            .next()
            .map(|c| c.to_ascii_lowercase())
            .into_iter()
            .chain(chars)
            .collect();
        let value = record.get(part).cloned().unwrap_or(Value::Null);
        any |= !value.is_null();
        address.insert(key, value);
    }
    for key in ["geocodeAccuracy", "latitude", "longitude"] {
        address.entry(key).or_insert(Value::Null);
    }
    if !any {
        return Value::Null;
    }
    let mut sorted: Vec<(String, Value)> = address.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Object(sorted.into_iter().collect())
}

/// The record with its fields in describe order, unset fields as null: how a
/// Salesforce GET answers it.
fn in_field_order(def: &ObjectDef, mut record: Record) -> Record {
    def.fields
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                record.remove(&f.name).unwrap_or(Value::Null),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> Store {
        Store::from_seed(&SeedData::sample()).expect("sample org loads")
    }

    fn body(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn sample_org_ids_are_valid_eighteen_character_ids() {
        let store = store();
        for object in &store.schema().objects {
            for record in store.records(&object.name) {
                let id = record["Id"].as_str().unwrap();
                assert_eq!(canonical_id(id).as_deref(), Some(id));
                assert!(id.starts_with(&object.key_prefix));
            }
        }
    }

    #[test]
    fn create_fills_defaults_audit_and_computed_fields() {
        let mut store = store();
        let id = store
            .create(
                "contact",
                body(json!({"firstname": "Ada", "LastName": "Lovelace", "MailingCity": "London"})),
                Writer::Client,
            )
            .unwrap();
        let (_, record) = store.find(&id).unwrap();
        assert_eq!(record["Name"], "Ada Lovelace");
        assert_eq!(record["FirstName"], "Ada");
        assert_eq!(record["MailingAddress"]["city"], "London");
        assert!(record["CreatedDate"].as_str().unwrap().ends_with("+0000"));
        let case = store
            .create("Case", body(json!({"Subject": "New one"})), Writer::Client)
            .unwrap();
        let (_, case) = store.find(&case).unwrap();
        assert_eq!(case["Status"], "New");
        assert_eq!(case["CaseNumber"].as_str().unwrap().len(), 8);
    }

    #[test]
    fn create_refuses_what_salesforce_refuses() {
        let mut store = store();
        let mut refuse = |object: &str, value: Value| {
            store
                .create(object, body(value), Writer::Client)
                .unwrap_err()
                .error_code()
        };
        assert_eq!(
            refuse("Contact", json!({"LastName": "X", "Nope": 1})),
            ErrorCode::InvalidField
        );
        assert_eq!(
            refuse("Contact", json!({"FirstName": "X"})),
            ErrorCode::RequiredFieldMissing
        );
        assert_eq!(
            refuse("Contact", json!({"LastName": "X", "Name": "Y"})),
            ErrorCode::InvalidFieldForInsertUpdate
        );
        assert_eq!(
            refuse("Contact", json!({"LastName": "X", "AccountId": "bad"})),
            ErrorCode::MalformedId
        );
        assert_eq!(
            refuse(
                "Contact",
                json!({"LastName": "X", "AccountId": "003A0000006Vm9rIAC"})
            ),
            ErrorCode::FieldIntegrityException
        );
        assert_eq!(
            refuse(
                "Contact",
                json!({"LastName": "X", "AccountId": "001A0000006Vm9rIAC"})
            ),
            ErrorCode::InvalidCrossReferenceKey
        );
        assert_eq!(
            refuse("Contact", json!({"LastName": "X", "DoNotCall": "maybe"})),
            ErrorCode::JsonParserError
        );
        assert_eq!(refuse("Nope", json!({})), ErrorCode::NotFound);
    }

    #[test]
    fn update_and_delete_find_records_by_either_id_form() {
        let mut store = store();
        let id = store
            .create(
                "Contact",
                body(json!({"LastName": "Short"})),
                Writer::Client,
            )
            .unwrap();
        store
            .update(
                "Contact",
                &id[..15],
                body(json!({"FirstName": "Tim"})),
                Writer::Client,
            )
            .unwrap();
        assert_eq!(store.find(&id).unwrap().1["Name"], "Tim Short");
        assert_eq!(
            store.update("Account", &id, body(json!({})), Writer::Client),
            Err(WriteError::NotFound)
        );
        assert_eq!(
            store.update(
                "Contact",
                &id,
                body(json!({"LastName": ""})),
                Writer::Client
            ),
            Err(WriteError::RequiredMissing(vec!["LastName".into()]))
        );
        store.delete("Contact", &id).unwrap();
        assert!(store.find(&id).is_none());
        assert_eq!(store.delete("Contact", &id), Err(WriteError::NotFound));
    }
}
