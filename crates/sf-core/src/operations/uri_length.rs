//! The check that a statement sent in a request URI (`GET /query?q=`, `GET /search?q=`)
//! fits there, made before anything is sent: shared by `lookup`, `query` and
//! `searchSOSL`, each blaming the parameter that made the statement long.

use crate::error::{Error, Result};
use crate::parameters::Scalar;

/// Salesforce takes a request's URI and headers together up to 16,384 bytes, and
/// answers 414 or 431 beyond; a SOQL query or SOSL search travels in the URI. This is what is left for the
/// URI once the headers (the bearer token above all) are counted.
const MAX_QUERY_URI_BYTES: usize = 15_360;
/// `/services/data/vNN.N/query?q=` or `…/search?q=`, with room for a longer version.
const QUERY_PATH_BYTES: usize = 32;

/// Checks that `statement` fits in a request URI, before anything is sent; when it does
/// not, the error names `blame`, the parameter that made it long.
pub fn check_uri_length(statement: &str, blame: &str) -> Result<()> {
    // Form encoding, as the query string is written: unreserved bytes and spaces take
    // one byte, every other byte three (`%XX`).
    let encoded: usize = statement
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"*-._ ".contains(&b) {
                1
            } else {
                3
            }
        })
        .sum();
    let bytes = encoded + QUERY_PATH_BYTES;
    if bytes <= MAX_QUERY_URI_BYTES {
        return Ok(());
    }
    Err(Error::invalid(
        blame,
        format!(
            "a shorter value: the statement would take {bytes} bytes of the request URI, \
             and Salesforce takes at most {MAX_QUERY_URI_BYTES} there"
        ),
    ))
}

/// [`check_uri_length`] for a flow's own statement (query, searchSOSL): `template` with
/// `replacements` in place became `statement`; when too long, the longest replacement is
/// blamed, or `template_parameter` when none is longer than the template.
pub fn check_statement_uri_length(
    statement: &str,
    template_parameter: &str,
    template: &str,
    replacements: &[(&str, Scalar)],
) -> Result<()> {
    let lengths = replacements
        .iter()
        .map(|(name, value)| (*name, value.as_text().len()));
    check_uri_length(
        statement,
        longest(lengths, template_parameter, template.len()),
    )
}

/// The parameter to blame for a long statement: the longest of `candidates` (name and
/// value), or `fallback` when none is longer than `fallback_length`.
pub fn longest<'a>(
    candidates: impl IntoIterator<Item = (&'a str, usize)>,
    fallback: &'a str,
    fallback_length: usize,
) -> &'a str {
    candidates
        .into_iter()
        .filter(|(_, length)| *length > fallback_length)
        .max_by_key(|(_, length)| *length)
        .map_or(fallback, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_too_long_for_a_uri_are_refused_naming_the_parameter() {
        let fits = format!(
            "SELECT Id FROM Case WHERE Subject = '{}'",
            "a".repeat(15_000)
        );
        assert!(check_uri_length(&fits, "Subject").is_ok());
        // Quotes and other reserved bytes take three bytes each once encoded.
        let too_long = format!(
            "SELECT Id FROM Case WHERE Subject = '{}'",
            "'".repeat(5_200)
        );
        let error = check_uri_length(&too_long, "Subject").unwrap_err();
        assert!(error.to_string().contains("`Subject`"), "{error}");
        assert!(error.to_string().contains("15360"), "{error}");
    }

    #[test]
    fn the_longest_value_is_blamed() {
        assert_eq!(
            longest([("a", 5), ("b", 900), ("c", 40)], "query", 100),
            "b"
        );
        assert_eq!(longest([("a", 5)], "query", 100), "query");
        assert_eq!(longest([], "sf_fields", 0), "sf_fields");
    }
}
