//! Runs a parsed query against the store. Binding comes first: every field path is
//! resolved against the schema (relationship by relationship, as Salesforce does,
//! to its canonical spelling) and every literal is checked against its field's
//! type, so a query Salesforce would refuse is refused before any record is read.
//! Then records are filtered, sorted, cut to OFFSET/LIMIT and shaped like the REST
//! answer ([`crate::model::records`]).

use std::cmp::Ordering;

use serde_json::Value;

use super::SoqlError;
use super::parser::{Condition, FieldRef, Literal, Query};
use super::tokenizer::{CompareOp, LikePiece};
use crate::error_codes::ErrorCode;
use crate::model::field_paths::{ResolvedField, resolve_field_path};
use crate::model::ids::canonical_id;
use crate::model::records::{project, value_of};
use crate::model::schema::{FieldType, ObjectDef, Schema};
use crate::model::store::{Record, Store};
use crate::model::values::compare;

#[derive(Debug, Clone, PartialEq)]
pub enum BoundCondition {
    And(Vec<BoundCondition>),
    Or(Vec<BoundCondition>),
    Not(Box<BoundCondition>),
    Compare {
        field: ResolvedField,
        op: CompareOp,
        value: Value,
    },
    In {
        field: ResolvedField,
        values: Vec<Value>,
        negated: bool,
    },
    Like {
        field: ResolvedField,
        pattern: Vec<LikePiece>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderBy {
    pub field: ResolvedField,
    pub descending: bool,
    pub nulls_last: bool,
}

/// A query whose names and literals the schema accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundQuery {
    /// Canonical object name.
    pub object: String,
    pub fields: Vec<ResolvedField>,
    pub condition: Option<BoundCondition>,
    pub order_by: Vec<OrderBy>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

pub fn bind_query(schema: &Schema, query: &Query) -> Result<BoundQuery, SoqlError> {
    let object = schema.object(&query.object).ok_or_else(|| {
        SoqlError::at(
            ErrorCode::InvalidType,
            format!(
                "sObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
                query.object
            ),
            query.object_position,
        )
    })?;
    let mut fields: Vec<ResolvedField> = Vec::new();
    for field_ref in &query.fields {
        let field = resolve_field(schema, object, field_ref)?;
        if fields.iter().any(|f| f.display() == field.display()) {
            return Err(SoqlError::malformed(
                format!("duplicate field selected: {}", field_ref.path),
                field_ref.position,
            ));
        }
        fields.push(field);
    }
    let condition = query
        .condition
        .as_ref()
        .map(|c| bind_condition(schema, object, c))
        .transpose()?;
    let order_by = query
        .order_by
        .iter()
        .map(|item| {
            let field = resolve_field(schema, object, &item.field)?;
            if !field.filterable {
                return Err(SoqlError::at(
                    ErrorCode::InvalidField,
                    format!("field '{}' can not be sorted in a query call", field.name),
                    item.field.position,
                ));
            }
            Ok(OrderBy {
                field,
                descending: item.descending,
                nulls_last: item.nulls_last,
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(BoundQuery {
        object: object.name.clone(),
        fields,
        condition,
        order_by,
        limit: query.limit,
        offset: query.offset,
    })
}

/// Resolves a SELECT, WHERE or ORDER BY field, placing a refusal at its position.
fn resolve_field(
    schema: &Schema,
    object: &ObjectDef,
    field_ref: &FieldRef,
) -> Result<ResolvedField, SoqlError> {
    resolve_field_path(schema, object, &field_ref.path)
        .map_err(|e| SoqlError::at(ErrorCode::InvalidField, e.message, field_ref.position))
}

pub fn bind_condition(
    schema: &Schema,
    object: &ObjectDef,
    condition: &Condition,
) -> Result<BoundCondition, SoqlError> {
    let bind_all = |conditions: &[Condition]| {
        conditions
            .iter()
            .map(|c| bind_condition(schema, object, c))
            .collect::<Result<Vec<_>, _>>()
    };
    let filterable = |field_ref: &FieldRef| {
        let field = resolve_field(schema, object, field_ref)?;
        if field.filterable {
            Ok(field)
        } else {
            Err(SoqlError::at(
                ErrorCode::InvalidField,
                format!("field '{}' can not be filtered in a query call", field.name),
                field_ref.position,
            ))
        }
    };
    Ok(match condition {
        Condition::And(terms) => BoundCondition::And(bind_all(terms)?),
        Condition::Or(terms) => BoundCondition::Or(bind_all(terms)?),
        Condition::Not(inner) => {
            BoundCondition::Not(Box::new(bind_condition(schema, object, inner)?))
        }
        Condition::Compare {
            field,
            op,
            value,
            value_position,
        } => {
            let field = filterable(field)?;
            let value = bind_literal(&field, value, *value_position)?;
            BoundCondition::Compare {
                field,
                op: *op,
                value,
            }
        }
        Condition::In {
            field,
            values,
            negated,
        } => {
            let field = filterable(field)?;
            let values = values
                .iter()
                .map(|(value, position)| bind_literal(&field, value, *position))
                .collect::<Result<_, _>>()?;
            BoundCondition::In {
                field,
                values,
                negated: *negated,
            }
        }
        Condition::Like {
            field: field_ref,
            pattern,
        } => {
            let field = filterable(field_ref)?;
            if !field.kind.is_text() && !field.kind.is_id() {
                return Err(SoqlError::at(
                    ErrorCode::InvalidQueryFilterOperator,
                    format!(
                        "invalid operator on {} field: {}",
                        field.kind.soap_name(),
                        field.name
                    ),
                    field_ref.position,
                ));
            }
            BoundCondition::Like {
                field,
                pattern: pattern.clone(),
            }
        }
    })
}

/// The stored form of `literal` for comparing with `field`, or Salesforce's
/// complaint that the literal does not fit the field's type.
fn bind_literal(
    field: &ResolvedField,
    literal: &Literal,
    position: usize,
) -> Result<Value, SoqlError> {
    let kind = field.kind;
    let bound = match literal {
        Literal::Null => Some(Value::Null),
        Literal::String(s) if kind.is_id() => {
            return canonical_id(s).map(Value::String).ok_or_else(|| {
                SoqlError::at(
                    ErrorCode::InvalidQueryFilterOperator,
                    format!("invalid ID field: {s}"),
                    position,
                )
            });
        }
        Literal::String(s) if kind.is_text() => Some(Value::String(s.clone())),
        Literal::Boolean(b) if kind == FieldType::Boolean => Some(Value::Bool(*b)),
        Literal::Number(n) if kind.is_number() => {
            serde_json::Number::from_f64(*n).map(Value::Number)
        }
        Literal::Date(d) if kind == FieldType::Date => Some(Value::String(d.clone())),
        Literal::DateTime(d) if kind == FieldType::Datetime => Some(Value::String(d.clone())),
        _ => None,
    };
    bound.ok_or_else(|| {
        let quoted = kind.is_text() || kind.is_id();
        SoqlError::at(
            ErrorCode::InvalidQueryFilterOperator,
            format!(
                "value of filter criterion for field '{}' must be of type {} and should {}be enclosed in quotes",
                field.display(),
                kind.soap_name(),
                if quoted { "" } else { "not " }
            ),
            position,
        )
    })
}

/// Whether `record` satisfies `condition`.
pub fn matches(store: &Store, record: &Record, condition: &BoundCondition) -> bool {
    match condition {
        BoundCondition::And(terms) => terms.iter().all(|t| matches(store, record, t)),
        BoundCondition::Or(terms) => terms.iter().any(|t| matches(store, record, t)),
        BoundCondition::Not(inner) => !matches(store, record, inner),
        BoundCondition::Compare { field, op, value } => {
            let actual = value_of(store, record, field);
            if value.is_null() {
                // `= null` and `!= null` are the only comparisons with null.
                return match op {
                    CompareOp::Eq => actual.is_null(),
                    CompareOp::Ne => !actual.is_null(),
                    _ => false,
                };
            }
            let ordering = compare(field.kind, actual, value);
            match op {
                CompareOp::Eq => ordering == Some(Ordering::Equal),
                CompareOp::Ne => ordering != Some(Ordering::Equal),
                CompareOp::Lt => ordering == Some(Ordering::Less),
                CompareOp::Le => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
                CompareOp::Gt => ordering == Some(Ordering::Greater),
                CompareOp::Ge => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
            }
        }
        BoundCondition::In {
            field,
            values,
            negated,
        } => {
            let actual = value_of(store, record, field);
            let found = values.iter().any(|v| {
                (v.is_null() && actual.is_null())
                    || compare(field.kind, actual, v) == Some(Ordering::Equal)
            });
            found != *negated
        }
        BoundCondition::Like { field, pattern } => value_of(store, record, field)
            .as_str()
            .is_some_and(|text| like_matches(pattern, text)),
    }
}

/// SOQL LIKE: `%` any run, `_` one character, case-insensitive, whole value.
pub fn like_matches(pattern: &[LikePiece], text: &str) -> bool {
    fn fold(c: char) -> char {
        c.to_lowercase().next().unwrap_or(c)
    }
    let text: Vec<char> = text.chars().map(fold).collect();
    let (mut p, mut t) = (0, 0);
    // Where the last `%` was, and how much of the text it has swallowed so far,
    // to backtrack to when a later piece fails.
    let mut last_run: Option<(usize, usize)> = None;
    while t < text.len() {
        let piece = pattern.get(p);
        match piece {
            Some(LikePiece::Char(c)) if fold(*c) == text[t] => {
                p += 1;
                t += 1;
            }
            Some(LikePiece::AnyOne) => {
                p += 1;
                t += 1;
            }
            Some(LikePiece::AnyRun) => {
                last_run = Some((p, t));
                p += 1;
            }
            _ => match last_run {
                Some((run_at, swallowed_to)) => {
                    last_run = Some((run_at, swallowed_to + 1));
                    p = run_at + 1;
                    t = swallowed_to + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|piece| *piece == LikePiece::AnyRun)
}

pub fn order_records(store: &Store, a: &Record, b: &Record, order_by: &[OrderBy]) -> Ordering {
    for item in order_by {
        let (x, y) = (
            value_of(store, a, &item.field),
            value_of(store, b, &item.field),
        );
        let ordering = match (x.is_null(), y.is_null()) {
            (true, true) => Ordering::Equal,
            (true, false) if item.nulls_last => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, true) if item.nulls_last => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => {
                let ordering = compare(item.field.kind, x, y).unwrap_or(Ordering::Equal);
                if item.descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            }
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// The matching records, sorted and cut, shaped as the REST API answers them.
/// `version` is the API version of the request (`v66.0`), used in record URLs.
pub fn execute(store: &Store, query: &BoundQuery, version: &str) -> Vec<Value> {
    let object = store
        .schema()
        .object(&query.object)
        .expect("a bound query names a known object");
    let mut rows: Vec<&Record> = store
        .records(&object.name)
        .iter()
        .filter(|r| {
            query
                .condition
                .as_ref()
                .is_none_or(|c| matches(store, r, c))
        })
        .collect();
    rows.sort_by(|a, b| order_records(store, a, b, &query.order_by));
    rows.into_iter()
        .skip(query.offset.unwrap_or(0))
        .take(query.limit.unwrap_or(usize::MAX))
        .map(|r| project(store, object, r, &query.fields, version))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::parser::parse_query;
    use super::super::tokenizer::{TokenKind, tokenize};
    use super::*;
    use crate::model::seed::SeedData;
    use crate::model::store::Writer;
    use serde_json::json;

    fn store() -> Store {
        Store::from_seed(&SeedData::sample()).unwrap()
    }

    fn run(store: &Store, text: &str) -> Result<Vec<Value>, SoqlError> {
        let query = parse_query(text)?;
        let bound = bind_query(store.schema(), &query)?;
        Ok(execute(store, &bound, "v66.0"))
    }

    fn names(store: &Store, text: &str) -> Vec<String> {
        run(store, text)
            .unwrap()
            .iter()
            .map(|r| r["Name"].as_str().unwrap_or("<null>").to_string())
            .collect()
    }

    fn pattern(literal: &str) -> Vec<LikePiece> {
        match tokenize(literal).unwrap().remove(0).kind {
            TokenKind::Str { pattern, .. } => pattern,
            other => panic!("not a string: {other:?}"),
        }
    }

    #[test]
    fn like_wildcards_escapes_and_case() {
        let cases = [
            ("'%'", "", true),
            ("'%'", "anything", true),
            ("'a%'", "Acme", true),
            ("'%ME'", "acme", true),
            ("'a_me'", "acme", true),
            ("'a_me'", "acmme", false),
            ("'%555%123%4567%'", "(555) 123-4567", true),
            ("'%555%123%4567%'", "(555) 123-4568", false),
            ("'100\\%'", "100%", true),
            ("'100\\%'", "1000", false),
            ("'a\\_b'", "a_b", true),
            ("'a\\_b'", "axb", false),
            ("'%a%b%'", "xxaxxbxx", true),
            ("'%ab'", "aab", true),
            ("'abc'", "ab", false),
            ("'JOSÉ%'", "josé núñez", true),
        ];
        for (literal, text, expected) in cases {
            assert_eq!(
                like_matches(&pattern(literal), text),
                expected,
                "{literal} ~ {text}"
            );
        }
    }

    #[test]
    fn every_operator_filters() {
        let s = store();
        let count = |q: &str| run(&s, q).unwrap().len();
        let all = count("SELECT Id FROM Case");
        let closed = count("SELECT Id FROM Case WHERE Status = 'closed'");
        assert!(closed > 0 && closed < all);
        assert_eq!(
            count("SELECT Id FROM Case WHERE Status != 'Closed'"),
            all - closed
        );
        assert_eq!(
            count("SELECT Id FROM Case WHERE Status <> 'Closed'"),
            all - closed
        );
        assert_eq!(
            count("SELECT Id FROM Case WHERE NOT Status = 'Closed'"),
            all - closed
        );
        assert_eq!(
            count("SELECT Id FROM Case WHERE Status IN ('Closed', 'nope')"),
            closed
        );
        assert_eq!(
            count("SELECT Id FROM Case WHERE Status NOT IN ('Closed')"),
            all - closed
        );
        let big = count("SELECT Id FROM Account WHERE AnnualRevenue > 1000000");
        let small = count("SELECT Id FROM Account WHERE AnnualRevenue <= 1000000");
        let none = count("SELECT Id FROM Account WHERE AnnualRevenue = null");
        assert_eq!(big + small + none, count("SELECT Id FROM Account"));
        assert_eq!(
            count("SELECT Id FROM Account WHERE AnnualRevenue >= 1000000"),
            big + count("SELECT Id FROM Account WHERE AnnualRevenue = 1000000")
        );
        assert_eq!(
            count("SELECT Id FROM Account WHERE AnnualRevenue < 1000000"),
            small - count("SELECT Id FROM Account WHERE AnnualRevenue = 1000000")
        );
        assert_eq!(
            count("SELECT Id FROM Account WHERE AnnualRevenue != null"),
            big + small
        );
        assert_eq!(
            count(
                "SELECT Id FROM Case WHERE (Status = 'Closed' OR Status = 'New') AND Priority = 'High'"
            ),
            count("SELECT Id FROM Case WHERE Status IN ('Closed', 'New') AND Priority = 'High'")
        );
        assert_eq!(count("SELECT Id FROM Contact WHERE DoNotCall = true"), 1);
        assert_eq!(
            count("SELECT Id FROM Task WHERE ActivityDate < 2000-01-01"),
            0
        );
        assert!(count("SELECT Id FROM Task WHERE ActivityDate >= 2024-01-01") > 0);
        assert!(count("SELECT Id FROM Case WHERE CreatedDate > 2020-01-01T00:00:00Z") > 0);
    }

    #[test]
    fn text_equality_is_case_insensitive_and_escapes_work() {
        let s = store();
        assert_eq!(
            names(&s, "SELECT Name FROM Contact WHERE LastName = 'o\\'brien'"),
            vec!["Aoife O'Brien"]
        );
        assert_eq!(
            names(
                &s,
                "SELECT Name FROM Contact WHERE FirstName = 'Jos\\u00e9'"
            ),
            vec!["José Núñez"]
        );
        assert_eq!(
            names(&s, "SELECT Name FROM Account WHERE Name LIKE '100\\%%'"),
            vec!["100% Organic Foods"]
        );
    }

    #[test]
    fn relationship_fields_nest_and_missing_parents_are_null() {
        let s = store();
        let rows = run(
            &s,
            "SELECT Id, Name, Account.Name, Account.Owner.Name FROM Contact WHERE LastName = 'Smith' AND FirstName = 'Jim'",
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row["attributes"]["type"], "Contact");
        assert!(
            row["attributes"]["url"]
                .as_str()
                .unwrap()
                .starts_with("/services/data/v66.0/sobjects/Contact/003")
        );
        assert_eq!(row["Account"]["attributes"]["type"], "Account");
        assert_eq!(row["Account"]["Name"], "Acme Corporation");
        assert_eq!(row["Account"]["Owner"]["attributes"]["type"], "User");
        assert_eq!(row["Account"]["Owner"]["Name"], "Jane Agent");
        let orphan = run(
            &s,
            "SELECT Id, Account.Name FROM Contact WHERE AccountId = null",
        )
        .unwrap();
        assert!(!orphan.is_empty());
        assert_eq!(orphan[0]["Account"], Value::Null);
        let filtered = names(
            &s,
            "SELECT Name FROM Contact WHERE Account.Name = 'globex ltd'",
        );
        assert!(filtered.contains(&"Olivia Brown".to_string()));
    }

    #[test]
    fn field_names_answer_in_canonical_case() {
        let s = store();
        let rows = run(
            &s,
            "select id, lastname, account.name from contact where firstname = 'Jim'",
        )
        .unwrap();
        let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, vec!["attributes", "Id", "LastName", "Account"]);
        assert!(rows[0]["Account"].get("Name").is_some());
    }

    #[test]
    fn order_by_limit_and_offset() {
        let mut s = store();
        s.create(
            "Account",
            json!({"Name": "aardvark"}).as_object().unwrap().clone(),
            Writer::System,
        )
        .unwrap();
        let ascending = names(&s, "SELECT Name FROM Account ORDER BY Name");
        let mut sorted = ascending.clone();
        sorted.sort_by_key(|n| n.to_lowercase());
        assert_eq!(ascending, sorted);
        assert_eq!(ascending[0], "100% Organic Foods");
        let descending = names(&s, "SELECT Name FROM Account ORDER BY Name DESC");
        assert_eq!(
            descending,
            ascending.iter().rev().cloned().collect::<Vec<_>>()
        );
        assert_eq!(
            names(&s, "SELECT Name FROM Account ORDER BY Name LIMIT 2"),
            ascending[..2]
        );
        assert_eq!(
            names(
                &s,
                "SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1"
            ),
            ascending[1..3]
        );
        let revenue = run(
            &s,
            "SELECT AnnualRevenue FROM Account ORDER BY AnnualRevenue NULLS LAST",
        )
        .unwrap();
        assert!(revenue.last().unwrap()["AnnualRevenue"].is_null());
        assert!(!revenue.first().unwrap()["AnnualRevenue"].is_null());
        let revenue = run(
            &s,
            "SELECT AnnualRevenue FROM Account ORDER BY AnnualRevenue",
        )
        .unwrap();
        assert!(revenue.first().unwrap()["AnnualRevenue"].is_null());
    }

    #[test]
    fn ids_compare_in_either_form() {
        let s = store();
        let jim = run(&s, "SELECT Id FROM Contact WHERE FirstName = 'Jim'").unwrap()[0]["Id"]
            .as_str()
            .unwrap()
            .to_string();
        for form in [jim.clone(), jim[..15].to_string(), jim.to_lowercase()] {
            let q = format!("SELECT Id FROM Contact WHERE Id = '{form}'");
            assert_eq!(run(&s, &q).unwrap().len(), 1, "{form}");
        }
    }

    #[test]
    fn unknown_names_and_mistyped_literals_are_refused() {
        let s = store();
        let error = |q: &str| run(&s, q).unwrap_err();
        let e = error("SELECT Id FROM Nope");
        assert_eq!(e.code, ErrorCode::InvalidType);
        assert!(
            e.message
                .starts_with("sObject type 'Nope' is not supported.")
        );
        assert_eq!(e.position, Some(15));
        let e = error("SELECT Id, Nope FROM Contact");
        assert_eq!(e.code, ErrorCode::InvalidField);
        assert!(
            e.message
                .starts_with("No such column 'Nope' on entity 'Contact'.")
        );
        let e = error("SELECT Account.Nope FROM Contact");
        assert!(
            e.message
                .starts_with("No such column 'Nope' on entity 'Account'.")
        );
        let e = error("SELECT Nope.Name FROM Contact");
        assert!(
            e.message
                .starts_with("Didn't understand relationship 'Nope' in field path.")
        );
        let e = error("SELECT Id FROM Contact WHERE Nope = 'x'");
        assert_eq!(e.code, ErrorCode::InvalidField);
        let e = error("SELECT Id FROM Contact WHERE DoNotCall = 'true'");
        assert_eq!(e.code, ErrorCode::InvalidQueryFilterOperator);
        assert_eq!(
            e.message,
            "value of filter criterion for field 'DoNotCall' must be of type boolean and should not be enclosed in quotes"
        );
        let e = error("SELECT Id FROM Contact WHERE LastName = 5");
        assert_eq!(
            e.message,
            "value of filter criterion for field 'LastName' must be of type string and should be enclosed in quotes"
        );
        let e = error("SELECT Id FROM Contact WHERE Id = 'abc'");
        assert_eq!(e.message, "invalid ID field: abc");
        let e = error("SELECT Id FROM Contact WHERE MailingAddress = 'x'");
        assert_eq!(
            e.message,
            "field 'MailingAddress' can not be filtered in a query call"
        );
        let e = error("SELECT Id, id FROM Contact");
        assert_eq!(e.message, "duplicate field selected: id");
    }

    #[test]
    fn polymorphic_relationships_follow_the_actual_parent() {
        let s = store();
        let rows = run(
            &s,
            "SELECT Subject, Who.Name, What.Name FROM Task WHERE Who.Name != null",
        )
        .unwrap();
        assert!(!rows.is_empty());
        for row in &rows {
            assert!(row["Who"]["Name"].is_string());
        }
    }
}
