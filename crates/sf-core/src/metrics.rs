//! The metrics of every invocation: one CloudWatch Embedded Metric Format (EMF) line
//! on stdout, which CloudWatch Logs turns into metrics without an API call, and the
//! warning when the org's API usage passes `SF_API_USAGE_WARNING_PERCENT`.
//!
//! The line (namespace `SF_METRICS_NAMESPACE`, default `SalesforceConnect`):
//! - dimension sets `[Function]` and `[Function, Outcome]`, and on a Salesforce error
//!   also `[Function, ErrorCode]` (Salesforce's `errorCode`);
//! - metrics `Invocations` (1), `Duration` and `SalesforceTime` (ms), `SalesforceCalls`,
//!   `Retries`, `Logins`, `ColdStart` (1 on a container's first invocation, else 0)
//!   (counts), `AnswerBytes` (bytes: the answer's JSON, or the one refused as too
//!   large; absent when the invocation failed otherwise), and `ApiUsed` / `ApiLimit`
//!   (counts, when Salesforce sent `Sforce-Limit-Info`);
//! - properties `function` (as every log line has) and `requestId`, to find the
//!   invocation's log lines.
//!
//! The format is the crate `metrique-writer-format-emf` (AWS Labs' `metrique`), which
//! writes one line per entry with several dimension sets and validates the line (the
//! dimensions present as strings, the units CloudWatch's). `metrics_cloudwatch_embedded`
//! was the other candidate, and does not fit: it writes a single dimension set per
//! document, so `[Function]` and `[Function, Outcome]` would be two or three lines per
//! invocation, and it keeps its counters in a process-wide `metrics` recorder rather
//! than building a line from one invocation's facts. The price of metrique: its writer
//! crate's default features (which the EMF crate does not let us turn off) bring the
//! `metrics` facade and a background queue we do not use; only what is called is linked.
//!
//! The line goes straight to stdout, not through the log subscriber: the
//! [`crate::logging`] writer would add a `function` member and mask numbers, and the
//! line holds no customer data to mask. It is written in one call under stdout's lock,
//! so a log line written from another task cannot split it; a failed write loses the
//! line and nothing else (where `print!` would panic, and with `panic = "abort"` end the
//! container).

use std::borrow::Cow;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use metrique_writer::format::Format;
use metrique_writer::unit::{AsBytes, AsCount, AsMilliseconds};
use metrique_writer::{Entry, EntryWriter};
use metrique_writer_format_emf::{Emf, EntryDimensions};

use crate::error::Error;
use crate::invocation_context::{ApiUsage, Facts};

pub const DEFAULT_NAMESPACE: &str = "SalesforceConnect";
pub const DEFAULT_API_USAGE_WARNING_PERCENT: u8 = 80;

/// How an invocation ended, as the `Outcome` dimension names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A missing or invalid parameter, or an unknown `sf_operation`.
    InvalidParameter,
    SalesforceError,
    Timeout,
    /// The credentials could not be read, or Salesforce refused to log in with them.
    AuthFailure,
    AnswerTooLarge,
    /// An unexpected answer, Salesforce or AWS out of reach, a bad configuration.
    Unexpected,
}

impl Outcome {
    pub fn of(error: Option<&Error>) -> Self {
        match error {
            None => Outcome::Ok,
            Some(Error::MissingParameter { .. } | Error::InvalidParameter { .. }) => {
                Outcome::InvalidParameter
            }
            Some(Error::Salesforce { .. }) => Outcome::SalesforceError,
            Some(Error::Timeout { .. }) => Outcome::Timeout,
            Some(Error::Credentials { .. } | Error::Authentication { .. }) => Outcome::AuthFailure,
            Some(Error::AnswerTooLarge { .. }) => Outcome::AnswerTooLarge,
            Some(
                Error::Configuration { .. }
                | Error::Unreachable { .. }
                | Error::UnexpectedResponse(_),
            ) => Outcome::Unexpected,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Outcome::Ok => "Ok",
            Outcome::InvalidParameter => "InvalidParameter",
            Outcome::SalesforceError => "SalesforceError",
            Outcome::Timeout => "Timeout",
            Outcome::AuthFailure => "AuthFailure",
            Outcome::AnswerTooLarge => "AnswerTooLarge",
            Outcome::Unexpected => "Unexpected",
        }
    }
}

/// What one invocation's line reports.
#[derive(Debug, Clone)]
pub struct InvocationReport<'a> {
    pub function: &'static str,
    pub request_id: &'a str,
    pub started: SystemTime,
    pub duration: Duration,
    pub outcome: Outcome,
    /// Salesforce's `errorCode` (the first of the error array), on a Salesforce error.
    pub error_code: Option<&'a str>,
    pub facts: &'a Facts,
    pub cold_start: bool,
    pub answer_bytes: Option<usize>,
}

impl<'a> InvocationReport<'a> {
    /// The `errorCode` of `error` when Salesforce answered with one.
    pub fn error_code(error: Option<&'a Error>) -> Option<&'a str> {
        match error {
            Some(Error::Salesforce { errors, .. }) => errors
                .first()
                .map(|error| error.error_code.as_str())
                .filter(|code| !code.is_empty()),
            _ => None,
        }
    }
}

/// The dimension sets of a line, after the formatter's own `[Function]`.
static BY_OUTCOME: EntryDimensions = EntryDimensions::new_static(&[
    Cow::Borrowed(&[]),
    Cow::Borrowed(&[Cow::Borrowed("Outcome")]),
]);
static BY_OUTCOME_AND_ERROR_CODE: EntryDimensions = EntryDimensions::new_static(&[
    Cow::Borrowed(&[]),
    Cow::Borrowed(&[Cow::Borrowed("Outcome")]),
    Cow::Borrowed(&[Cow::Borrowed("ErrorCode")]),
]);

impl Entry for InvocationReport<'_> {
    fn write<'a>(&'a self, writer: &mut impl EntryWriter<'a>) {
        writer.config(if self.error_code.is_some() {
            &BY_OUTCOME_AND_ERROR_CODE
        } else {
            &BY_OUTCOME
        });
        writer.timestamp(self.started);
        writer.value("Function", self.function);
        writer.value("Outcome", self.outcome.name());
        writer.value("ErrorCode", &self.error_code);
        writer.value("function", self.function);
        writer.value("requestId", self.request_id);
        let facts = self.facts;
        writer.value("Invocations", &AsCount::from(1u64));
        writer.value("Duration", &AsMilliseconds::from(self.duration));
        writer.value(
            "SalesforceTime",
            &AsMilliseconds::from(facts.salesforce_wait),
        );
        writer.value("SalesforceCalls", &AsCount::from(facts.salesforce_calls));
        writer.value("Retries", &AsCount::from(facts.retries));
        writer.value("Logins", &AsCount::from(facts.logins));
        writer.value("ColdStart", &AsCount::from(u32::from(self.cold_start)));
        if let Some(bytes) = self.answer_bytes {
            writer.value("AnswerBytes", &AsBytes::from(bytes as u64));
        }
        if let Some(ApiUsage { used, limit }) = facts.api_usage {
            writer.value("ApiUsed", &AsCount::from(used));
            writer.value("ApiLimit", &AsCount::from(limit));
        }
    }
}

/// A function's metrics: the line of each invocation and what a container remembers
/// between them (whether it has served one; whether it warned about API usage).
pub struct Metrics {
    format: Mutex<Emf>,
    api_usage_warning_percent: u8,
    served: AtomicBool,
    warned: AtomicBool,
}

impl Metrics {
    pub fn new(namespace: &str, api_usage_warning_percent: u8) -> Self {
        Metrics {
            format: Mutex::new(Emf::all_validations(
                namespace.to_owned(),
                vec![vec!["Function".to_owned()]],
            )),
            api_usage_warning_percent,
            served: AtomicBool::new(false),
            warned: AtomicBool::new(false),
        }
    }

    /// True for the container's first invocation only.
    pub fn cold_start(&self) -> bool {
        !self.served.swap(true, Ordering::Relaxed)
    }

    /// The EMF line of `report`, with its newline.
    pub fn line(&self, report: &InvocationReport<'_>) -> String {
        let mut line = Vec::with_capacity(1024);
        let mut format = self.format.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(error) = format.format(report, &mut line) {
            // Only a bug of ours (a name twice, say) gets here: said, not fatal.
            tracing::error!(%error, "could not write the invocation's metrics");
            return String::new();
        }
        String::from_utf8(line).unwrap_or_default()
    }

    /// Writes `report`'s line to stdout, and warns once per container when the org's
    /// API usage is past the threshold.
    pub fn publish(&self, report: &InvocationReport<'_>) {
        // A lost metric line must not fail the invocation it measures.
        let _ = std::io::stdout()
            .lock()
            .write_all(self.line(report).as_bytes());
        if let Some(usage) = report.facts.api_usage
            && self.is_past_threshold(usage)
            && !self.warned.swap(true, Ordering::Relaxed)
        {
            tracing::warn!(
                api_used = usage.used,
                api_limit = usage.limit,
                threshold_percent = self.api_usage_warning_percent,
                "the org has used more than SF_API_USAGE_WARNING_PERCENT of its daily API \
                 requests; once they are spent, Salesforce refuses every call"
            );
        }
    }

    fn is_past_threshold(&self, usage: ApiUsage) -> bool {
        // In integers: used / limit > percent / 100.
        u128::from(usage.used) * 100
            > u128::from(usage.limit) * u128::from(self.api_usage_warning_percent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::SalesforceError;
    use serde_json::{Map, Value};
    use sf_test_kit::emf;

    /// The metrics and units the alarms and the dashboard read (README, Operating).
    const CONTRACT: [(&str, &str); 10] = [
        ("Invocations", "Count"),
        ("Duration", "Milliseconds"),
        ("SalesforceTime", "Milliseconds"),
        ("SalesforceCalls", "Count"),
        ("Retries", "Count"),
        ("Logins", "Count"),
        ("ColdStart", "Count"),
        ("AnswerBytes", "Bytes"),
        ("ApiUsed", "Count"),
        ("ApiLimit", "Count"),
    ];

    /// `line` checked against the EMF specification and the contract: one directive in
    /// `namespace`, each metric one of the contract's, in its unit.
    fn checked(line: &str, namespace: &str) -> Map<String, Value> {
        assert!(line.ends_with('\n'), "{line}");
        let root = emf::checked_line(line);
        let directives = root["_aws"]["CloudWatchMetrics"].as_array().unwrap();
        assert_eq!(directives.len(), 1, "{line}");
        assert_eq!(directives[0]["Namespace"], namespace, "{line}");
        for (name, unit) in emf::metrics(&root) {
            assert!(
                CONTRACT.contains(&(name.as_str(), unit.as_str())),
                "{name} in {unit:?} is not in the contract: {line}"
            );
        }
        root
    }

    /// The metric names of `line`'s directive.
    fn metric_names(line: &Map<String, Value>) -> Vec<String> {
        emf::metrics(line)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    fn dimension_sets(line: &Map<String, Value>) -> Value {
        line["_aws"]["CloudWatchMetrics"][0]["Dimensions"].clone()
    }

    fn facts() -> Facts {
        Facts {
            salesforce_calls: 3,
            retries: 1,
            token_refreshes: 1,
            logins: 2,
            shared_tokens_used: 0,
            salesforce_wait: Duration::from_millis(120),
            api_usage: Some(ApiUsage {
                used: 18,
                limit: 15000,
            }),
        }
    }

    fn report<'a>(error: Option<&'a Error>, facts: &'a Facts) -> InvocationReport<'a> {
        InvocationReport {
            function: "sf-lookup",
            request_id: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
            started: SystemTime::now(),
            duration: Duration::from_millis(250),
            outcome: Outcome::of(error),
            error_code: InvocationReport::error_code(error),
            facts,
            cold_start: false,
            answer_bytes: match error {
                None => Some(57),
                Some(Error::AnswerTooLarge { bytes }) => Some(*bytes),
                Some(_) => None,
            },
        }
    }

    #[test]
    fn every_outcome_makes_one_valid_line() {
        let metrics = Metrics::new("Team/Connect", 80);
        let salesforce = Error::Salesforce {
            status: 403,
            errors: vec![SalesforceError::new(
                "REQUEST_LIMIT_EXCEEDED",
                "TotalRequests Limit exceeded.",
            )],
        };
        let cases = [
            (None, "Ok"),
            (
                Some(Error::missing("sf_object", "an sObject")),
                "InvalidParameter",
            ),
            (
                Some(Error::invalid("sf_operation", "one of lookup")),
                "InvalidParameter",
            ),
            (Some(salesforce), "SalesforceError"),
            (
                Some(Error::Timeout {
                    what: "Salesforce".into(),
                    budget_ms: 8000,
                }),
                "Timeout",
            ),
            (
                Some(Error::Authentication {
                    flow: "jwt",
                    code: "invalid_grant".into(),
                    description: "user hasn't approved this consumer".into(),
                }),
                "AuthFailure",
            ),
            (
                Some(Error::Credentials {
                    source_name: "SSM parameter `/p`".into(),
                    problem: "not JSON".into(),
                }),
                "AuthFailure",
            ),
            (
                Some(Error::AnswerTooLarge { bytes: 40_000 }),
                "AnswerTooLarge",
            ),
            (
                Some(Error::UnexpectedResponse("no records".into())),
                "Unexpected",
            ),
            (
                Some(Error::Unreachable {
                    what: "Salesforce".into(),
                    reason: "connection refused".into(),
                }),
                "Unexpected",
            ),
            (
                Some(Error::configuration("SF_LOGIN_URL", "no")),
                "Unexpected",
            ),
        ];
        let facts = facts();
        for (error, outcome) in &cases {
            let line = metrics.line(&report(error.as_ref(), &facts));
            let root = checked(&line, "Team/Connect");
            assert_eq!(root["Function"], "sf-lookup", "{line}");
            assert_eq!(root["function"], "sf-lookup", "{line}");
            assert_eq!(root["requestId"], "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
            assert_eq!(root["Outcome"], *outcome, "{line}");
            assert_eq!(root["Invocations"], 1, "{line}");
            assert_eq!(root["Duration"], 250.0, "{line}");
            assert_eq!(root["SalesforceTime"], 120.0, "{line}");
            assert_eq!(root["SalesforceCalls"], 3, "{line}");
            assert_eq!(root["Retries"], 1, "{line}");
            assert_eq!(root["Logins"], 2, "{line}");
            assert_eq!(root["ColdStart"], 0, "{line}");
            assert_eq!(root["ApiUsed"], 18, "{line}");
            assert_eq!(root["ApiLimit"], 15000, "{line}");
            let names = metric_names(&root);
            for name in [
                "Invocations",
                "Duration",
                "SalesforceTime",
                "SalesforceCalls",
                "Retries",
                "Logins",
                "ColdStart",
                "ApiUsed",
                "ApiLimit",
            ] {
                assert!(
                    names.iter().any(|known| known == name),
                    "{name} missing: {line}"
                );
            }
            match *outcome {
                "Ok" => assert_eq!(root["AnswerBytes"], 57),
                "AnswerTooLarge" => assert_eq!(root["AnswerBytes"], 40_000),
                _ => assert!(!names.iter().any(|name| name == "AnswerBytes"), "{line}"),
            }
            if *outcome == "SalesforceError" {
                assert_eq!(root["ErrorCode"], "REQUEST_LIMIT_EXCEEDED", "{line}");
                assert_eq!(
                    dimension_sets(&root),
                    serde_json::json!([
                        ["Function"],
                        ["Function", "Outcome"],
                        ["Function", "ErrorCode"]
                    ]),
                    "{line}"
                );
            } else {
                assert!(!root.contains_key("ErrorCode"), "{line}");
                assert_eq!(
                    dimension_sets(&root),
                    serde_json::json!([["Function"], ["Function", "Outcome"]]),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn api_usage_is_absent_until_salesforce_sends_it_and_cold_start_is_counted() {
        let metrics = Metrics::new(DEFAULT_NAMESPACE, 80);
        let facts = Facts::default();
        let mut report = report(None, &facts);
        report.cold_start = metrics.cold_start();
        let root = checked(&metrics.line(&report), DEFAULT_NAMESPACE);
        assert_eq!(root["ColdStart"], 1);
        assert_eq!(root["SalesforceCalls"], 0);
        assert_eq!(root["SalesforceTime"], 0.0);
        let names = metric_names(&root);
        assert!(!names.iter().any(|name| name == "ApiUsed") && !root.contains_key("ApiUsed"));
        assert!(!names.iter().any(|name| name == "ApiLimit") && !root.contains_key("ApiLimit"));
        assert!(!metrics.cold_start());
        assert!(!metrics.cold_start());
    }

    #[test]
    fn a_salesforce_error_without_a_code_has_no_error_code_dimension() {
        let metrics = Metrics::new(DEFAULT_NAMESPACE, 80);
        let error = Error::Salesforce {
            status: 500,
            errors: vec![SalesforceError::new("", "Internal error")],
        };
        let facts = facts();
        let root = checked(
            &metrics.line(&report(Some(&error), &facts)),
            DEFAULT_NAMESPACE,
        );
        assert_eq!(root["Outcome"], "SalesforceError");
        assert!(!root.contains_key("ErrorCode"));
    }

    #[test]
    fn the_threshold_is_passed_above_the_percentage() {
        let metrics = Metrics::new(DEFAULT_NAMESPACE, 80);
        let past = |used, limit| metrics.is_past_threshold(ApiUsage { used, limit });
        assert!(!past(80, 100));
        assert!(past(81, 100));
        assert!(past(12_001, 15_000));
        assert!(!past(12_000, 15_000));
        assert!(!past(0, 0));
        let everything = Metrics::new(DEFAULT_NAMESPACE, 100);
        assert!(!everything.is_past_threshold(ApiUsage {
            used: 100,
            limit: 100
        }));
        assert!(everything.is_past_threshold(ApiUsage {
            used: 101,
            limit: 100
        }));
    }
}
