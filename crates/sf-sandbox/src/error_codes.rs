//! The `errorCode`s the sandbox answers with, in one list: Salesforce's own, as its
//! REST API documentation names them ("Status Codes and Error Responses", and the
//! codes each resource documents), plus one of the sandbox's for its admin
//! endpoint. Every refusal, from the model, the SOQL pipeline or a resource, names
//! one of these; [`ErrorCode::as_str`] is the text clients see.

use std::fmt;

/// An `errorCode` of Salesforce's error body `[{"message", "errorCode"}]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A record with this value (here: this id) exists already.
    DuplicateValue,
    /// A reference field names an id of the wrong object.
    FieldIntegrityException,
    /// A request to a retired API version (410).
    Gone,
    /// A Chatter (Connect REST API) request body Connect refuses.
    InvalidApiInput,
    /// A reference field names an id of no existing record.
    InvalidCrossReferenceKey,
    /// An unknown field, or one a query cannot filter or sort by.
    InvalidField,
    /// A field the client may not set on create or update.
    InvalidFieldForInsertUpdate,
    /// A `nextRecordsUrl` that names no live query.
    InvalidQueryLocator,
    /// A filter value or operator that does not fit its field.
    InvalidQueryFilterOperator,
    /// A search request Salesforce refuses (term too short, bad scope or limit).
    InvalidSearch,
    /// A missing, expired or revoked access token.
    InvalidSessionId,
    /// An unknown sObject type.
    InvalidType,
    /// A request body that is not the JSON expected.
    JsonParserError,
    /// A value that is not a record id where one is expected.
    MalformedId,
    /// SOQL that does not parse.
    MalformedQuery,
    /// SOSL (or a search term) that does not parse: an unescaped reserved
    /// character, a missing `FIND {…}`, an unknown clause.
    MalformedSearch,
    /// An HTTP method the resource does not take.
    MethodNotAllowed,
    /// A required request parameter is absent.
    MissingArgument,
    /// An unknown resource, object or record.
    NotFound,
    /// The org's API request limit is used up.
    RequestLimitExceeded,
    /// A record would lack a required field.
    RequiredFieldMissing,
    /// Salesforce is down for maintenance or overloaded.
    ServerUnavailable,
    /// Text longer than its field's length.
    StringTooLong,
    /// Salesforce failed internally.
    UnknownException,
    /// Not Salesforce's: the sandbox's admin endpoint refusing a fault setting.
    InvalidFault,
}

impl ErrorCode {
    /// The code as Salesforce writes it (`INVALID_FIELD`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::DuplicateValue => "DUPLICATE_VALUE",
            ErrorCode::FieldIntegrityException => "FIELD_INTEGRITY_EXCEPTION",
            ErrorCode::Gone => "GONE",
            ErrorCode::InvalidApiInput => "INVALID_API_INPUT",
            ErrorCode::InvalidCrossReferenceKey => "INVALID_CROSS_REFERENCE_KEY",
            ErrorCode::InvalidField => "INVALID_FIELD",
            ErrorCode::InvalidFieldForInsertUpdate => "INVALID_FIELD_FOR_INSERT_UPDATE",
            ErrorCode::InvalidQueryLocator => "INVALID_QUERY_LOCATOR",
            ErrorCode::InvalidQueryFilterOperator => "INVALID_QUERY_FILTER_OPERATOR",
            ErrorCode::InvalidSearch => "INVALID_SEARCH",
            ErrorCode::InvalidSessionId => "INVALID_SESSION_ID",
            ErrorCode::InvalidType => "INVALID_TYPE",
            ErrorCode::JsonParserError => "JSON_PARSER_ERROR",
            ErrorCode::MalformedId => "MALFORMED_ID",
            ErrorCode::MalformedQuery => "MALFORMED_QUERY",
            ErrorCode::MalformedSearch => "MALFORMED_SEARCH",
            ErrorCode::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ErrorCode::MissingArgument => "MISSING_ARGUMENT",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::RequestLimitExceeded => "REQUEST_LIMIT_EXCEEDED",
            ErrorCode::RequiredFieldMissing => "REQUIRED_FIELD_MISSING",
            ErrorCode::ServerUnavailable => "SERVER_UNAVAILABLE",
            ErrorCode::StringTooLong => "STRING_TOO_LONG",
            ErrorCode::UnknownException => "UNKNOWN_EXCEPTION",
            ErrorCode::InvalidFault => "INVALID_FAULT",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
