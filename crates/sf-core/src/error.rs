//! The one error type of the crate, [`Error`], and its mapping to the Lambda
//! [`Diagnostic`] that Amazon Connect sees when a block takes its Error branch.
//!
//! Every message is written for the flow author: it names the parameter, the
//! environment variable or Salesforce's `errorCode`, and says what was expected.
//! No variant carries a credential or a token: the places that build these errors
//! only ever pass names, codes and Salesforce's own messages.

use lambda_runtime::Diagnostic;

/// Connect refuses a Lambda answer of 32 KB or more of UTF-8.
pub const ANSWER_LIMIT_BYTES: usize = 32 * 1024;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    /// A required parameter is absent, null or empty.
    #[error("missing parameter `{name}`: {expected}")]
    MissingParameter { name: String, expected: String },

    /// A parameter is present but its value cannot be used.
    #[error("invalid parameter `{name}`: expected {expected}")]
    InvalidParameter { name: String, expected: String },

    /// An environment variable of the function is missing or malformed.
    #[error("invalid configuration `{variable}`: {problem}")]
    Configuration { variable: String, problem: String },

    /// The credentials could not be read or are unusable.
    #[error("credentials from {source_name}: {problem}")]
    Credentials {
        source_name: String,
        problem: String,
    },

    /// The OAuth token endpoint refused to issue a token.
    #[error("Salesforce login failed ({flow} flow): {code}: {description}")]
    Authentication {
        flow: &'static str,
        code: String,
        description: String,
    },

    /// Salesforce answered a data call with an error array; each entry is kept as
    /// data (its `errorCode` above all), and shown joined.
    #[error(
        "Salesforce error (HTTP {status}): {}: {}",
        join(errors, |error| &error.error_code, ", "),
        join(errors, |error| &error.message, "; ")
    )]
    Salesforce {
        status: u16,
        errors: Vec<SalesforceError>,
    },

    /// Salesforce did not answer in time.
    #[error("timed out: {what} did not answer within {budget_ms} ms")]
    Timeout { what: String, budget_ms: u128 },

    /// The connection to Salesforce or AWS failed before an answer arrived.
    #[error("could not reach {what}: {reason}")]
    Unreachable { what: String, reason: String },

    /// Salesforce answered with something that is not what its API documents.
    #[error("unexpected answer from Salesforce: {0}")]
    UnexpectedResponse(String),

    /// The answer would be refused by Connect.
    #[error(
        "the answer is {bytes} bytes, and Amazon Connect refuses answers of 32 KB or more: \
         ask for fewer fields (sf_fields) or fewer records (a LIMIT or a narrower condition)"
    )]
    AnswerTooLarge { bytes: usize },
}

/// One entry of the error array Salesforce answers a failed call with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct SalesforceError {
    /// Such as `MALFORMED_QUERY` or `INVALID_SESSION_ID`.
    #[serde(rename = "errorCode", default)]
    pub error_code: String,
    #[serde(default)]
    pub message: String,
    /// The fields the error is about, when Salesforce names any.
    #[serde(default, deserialize_with = "field_names")]
    pub fields: Vec<String>,
}

impl SalesforceError {
    pub fn new(error_code: &str, message: &str) -> Self {
        SalesforceError {
            error_code: error_code.to_owned(),
            message: message.to_owned(),
            fields: Vec::new(),
        }
    }
}

/// `fields` as Salesforce sends it, an array of names; anything else (null, say) is
/// no names rather than an unreadable error.
fn field_names<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Vec<String>, D::Error> {
    let value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;
    Ok(value
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|name| name.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// One member of each of `errors`, joined with `separator`.
fn join(
    errors: &[SalesforceError],
    member: impl Fn(&SalesforceError) -> &String,
    separator: &str,
) -> String {
    errors
        .iter()
        .map(|error| member(error).as_str())
        .collect::<Vec<_>>()
        .join(separator)
}

impl Error {
    pub fn missing(name: &str, expected: &str) -> Self {
        Error::MissingParameter {
            name: name.to_owned(),
            expected: expected.to_owned(),
        }
    }

    pub fn invalid(name: &str, expected: impl Into<String>) -> Self {
        Error::InvalidParameter {
            name: name.to_owned(),
            expected: expected.into(),
        }
    }

    pub fn configuration(variable: &str, problem: impl Into<String>) -> Self {
        Error::Configuration {
            variable: variable.to_owned(),
            problem: problem.into(),
        }
    }

    /// The short, stable name Connect and CloudWatch show as `errorType`.
    pub fn error_type(&self) -> &'static str {
        match self {
            Error::MissingParameter { .. } => "MissingParameter",
            Error::InvalidParameter { .. } => "InvalidParameter",
            Error::Configuration { .. } => "ConfigurationError",
            Error::Credentials { .. } => "CredentialsError",
            Error::Authentication { .. } => "AuthenticationError",
            Error::Salesforce { .. } => "SalesforceError",
            Error::Timeout { .. } => "Timeout",
            Error::Unreachable { .. } => "Unreachable",
            Error::UnexpectedResponse(_) => "UnexpectedResponse",
            Error::AnswerTooLarge { .. } => "AnswerTooLarge",
        }
    }
}

impl From<Error> for Diagnostic {
    fn from(error: Error) -> Self {
        Diagnostic {
            error_type: error.error_type().to_owned(),
            error_message: error.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_carries_a_meaningful_type_and_message() {
        let diagnostic =
            Diagnostic::from(Error::missing("sf_object", "the sObject name, e.g. Case"));
        assert_eq!(diagnostic.error_type, "MissingParameter");
        assert_eq!(
            diagnostic.error_message,
            "missing parameter `sf_object`: the sObject name, e.g. Case"
        );
    }

    #[test]
    fn salesforce_errors_show_code_and_message() {
        let error = Error::Salesforce {
            status: 400,
            errors: vec![SalesforceError::new(
                "INVALID_FIELD",
                "No such column 'Foo' on entity 'Case'",
            )],
        };
        assert_eq!(
            error.to_string(),
            "Salesforce error (HTTP 400): INVALID_FIELD: No such column 'Foo' on entity 'Case'"
        );
    }

    #[test]
    fn too_large_suggests_what_to_change() {
        let message = Error::AnswerTooLarge { bytes: 40_000 }.to_string();
        assert!(message.contains("40000 bytes"), "{message}");
        assert!(message.contains("sf_fields"), "{message}");
    }
}
