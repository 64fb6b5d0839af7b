//! Salesforce API names (sObjects, fields, relationship paths such as
//! `Account.Owner.Name`) checked against their grammar before they go anywhere: into a
//! SOQL statement, a REST URL path (`/sobjects/<name>`) or a JSON body (a record's field
//! names, a search's `fields`). Anything else is refused, naming the parameter.
//!
//! A name in a URL path is stricter than one in SOQL: [`object_in_path`] takes no `.`,
//! because Salesforce reads `/sobjects/Case.xml` as the Case resource answered in XML
//! (after the record was written), not as an error.

use crate::error::{Error, Result};
use crate::masking::shown_value;

/// True for one SOQL name: a letter, then letters, digits and underscores (custom
/// fields `Foo__c`, namespaces `ns__Foo__c`).
fn is_name(part: &str) -> bool {
    let mut chars = part.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// True for a name or a relationship path such as `Account.Owner.Name`.
pub fn is_identifier(candidate: &str) -> bool {
    !candidate.is_empty() && candidate.split('.').all(is_name)
}

/// Checks the value of parameter `parameter` is an sObject or field name.
pub fn identifier<'a>(parameter: &str, candidate: &'a str) -> Result<&'a str> {
    let trimmed = candidate.trim();
    if is_identifier(trimmed) {
        Ok(trimmed)
    } else {
        Err(Error::invalid(
            parameter,
            format!(
                "a Salesforce API name (letters, digits and `_`, with `.` for relationships), got {}",
                shown_value(candidate)
            ),
        ))
    }
}

/// Checks the value of parameter `parameter` is a plain sObject name for a REST URL
/// path (`/sobjects/<name>`): letters, digits and `_`, no `.`.
pub fn object_in_path<'a>(parameter: &str, candidate: &'a str) -> Result<&'a str> {
    let trimmed = candidate.trim();
    if is_name(trimmed) {
        Ok(trimmed)
    } else {
        Err(Error::invalid(
            parameter,
            format!(
                "an sObject API name such as Case or Custom__c (letters, digits and `_`; no `.`, \
                 since it goes into the URL path), got {}",
                shown_value(candidate)
            ),
        ))
    }
}

/// True for one entry of a field list: a field path or a single-argument SOQL function
/// applied to one, such as `toLabel(Status)` or `FORMAT(Amount)`.
fn is_field_expression(entry: &str) -> bool {
    if let Some(inner) = entry.strip_suffix(')')
        && let Some((function, argument)) = inner.split_once('(')
    {
        return is_name(function.trim()) && is_identifier(argument.trim());
    }
    is_identifier(entry)
}

/// Splits a comma-separated field list (`"Id, Name , Account.Name"`), ignoring spaces
/// around names, and checks every entry.
pub fn field_list(parameter: &str, value: &str) -> Result<Vec<String>> {
    let fields: Vec<String> = value.split(',').map(|f| f.trim().to_owned()).collect();
    if fields.iter().any(|f| !is_field_expression(f)) {
        return Err(Error::invalid(
            parameter,
            format!(
                "a comma-separated list of field API names such as \"Id, Name, Account.Name\", got {}",
                shown_value(value)
            ),
        ));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_accept_api_names_and_paths_only() {
        for good in [
            "Case",
            "Account.Name",
            "ns__Thing__c",
            "Owner.Profile.Name",
            "X1",
        ] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in [
            "",
            "1Case",
            "Case WHERE",
            "Name'",
            "Id,Name",
            "Account..Name",
            ".Name",
            "Name.",
            "Ｃase",
            "Name--",
            "Id FROM User",
        ] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn identifier_error_names_the_parameter() {
        let error = identifier("sf_object", "Case; DELETE").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("invalid parameter `sf_object`"),
            "{error}"
        );
    }

    #[test]
    fn objects_in_url_paths_are_plain_names() {
        for good in ["Case", " ns__Thing__c ", "X1"] {
            assert_eq!(object_in_path("sf_object", good).unwrap(), good.trim());
        }
        for bad in [
            "Case.xml",
            "Case.json",
            "Account.Name",
            "Case/../User",
            "Case?_HttpMethod=DELETE",
            "",
            "1Case",
            "Ｃase",
        ] {
            let error = object_in_path("sf_object", bad).unwrap_err();
            assert!(error.to_string().contains("`sf_object`"), "{bad}: {error}");
        }
    }

    #[test]
    fn field_lists_ignore_spaces_and_refuse_injection() {
        assert_eq!(
            field_list("sf_fields", " Id ,Name,  Account.Name , toLabel(Status)").unwrap(),
            ["Id", "Name", "Account.Name", "toLabel(Status)"]
        );
        for bad in [
            "",
            "Id,",
            "Id, Name FROM Case --",
            "Id) FROM User WHERE (Id",
            "(Id)",
        ] {
            assert!(field_list("sf_fields", bad).is_err(), "{bad}");
        }
    }
}
