//! Field paths (`Name`, `Account.Owner.Name`) resolved against the schema,
//! relationship by relationship, to their canonical spelling and type: the one
//! place every resource that names fields (SOQL, sObject `?fields=`, search
//! `fields`) resolves them, so all refuse the same unknown names.

use crate::model::schema::{FieldType, ObjectDef, Schema};

/// A path Salesforce would refuse (`INVALID_FIELD`), with Salesforce's message.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidField {
    pub message: String,
}

/// One step from a record to its parent.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    /// The reference field on the child (`AccountId`).
    pub foreign_key: String,
    /// The relationship's name in answers (`Account`).
    pub relationship: String,
}

/// A field path resolved against the schema.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedField {
    pub hops: Vec<Hop>,
    /// Canonical name of the field at the end of the path.
    pub name: String,
    pub kind: FieldType,
    pub filterable: bool,
}

impl ResolvedField {
    /// The path in its canonical spelling (`Account.Owner.Name`).
    pub fn display(&self) -> String {
        self.hops
            .iter()
            .map(|h| h.relationship.as_str())
            .chain(std::iter::once(self.name.as_str()))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Resolves `path` (`Account.Owner.Name`) from `object` through each relationship.
pub fn resolve_field_path(
    schema: &Schema,
    object: &ObjectDef,
    path: &str,
) -> Result<ResolvedField, InvalidField> {
    let mut parts: Vec<&str> = path.split('.').collect();
    // `SELECT Contact.Name FROM Contact` names the queried object first.
    if parts.len() > 1
        && parts[0].eq_ignore_ascii_case(&object.name)
        && object.relationship(parts[0]).is_none()
    {
        parts.remove(0);
    }
    let (last, relationships) = parts.split_last().expect("a path has a part");
    let mut current = object;
    let mut hops = Vec::new();
    for (i, relationship) in relationships.iter().enumerate() {
        let reference = current.relationship(relationship).ok_or_else(|| {
            InvalidField {
                message: format!(
                    "Didn't understand relationship '{relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
                ),
            }
        })?;
        // A polymorphic relationship (Who: Contact or Lead) resolves the rest of the
        // path on the first of its objects that has the next name.
        let next = parts[i + 1];
        let targets: Vec<&ObjectDef> = reference
            .reference_to
            .iter()
            .filter_map(|name| schema.object(name))
            .collect();
        let parent = targets
            .iter()
            .find(|t| t.field(next).is_some() || t.relationship(next).is_some())
            .or(targets.first())
            .copied()
            .ok_or_else(|| InvalidField {
                message: format!("Didn't understand relationship '{relationship}' in field path."),
            })?;
        hops.push(Hop {
            foreign_key: reference.name.clone(),
            relationship: reference
                .relationship_name
                .clone()
                .unwrap_or_else(|| relationship.to_string()),
        });
        current = parent;
    }
    let field = current.field(last).ok_or_else(|| {
        InvalidField {
            message: format!(
                "No such column '{last}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                current.name
            ),
        }
    })?;
    Ok(ResolvedField {
        hops,
        name: field.name.clone(),
        kind: field.kind,
        filterable: field.is_filterable(),
    })
}
