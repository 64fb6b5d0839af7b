//! The functions' logs: the Lambda runtime's own subscriber (JSON with
//! `AWS_LAMBDA_LOG_FORMAT=JSON`, the level from `AWS_LAMBDA_LOG_LEVEL` or `RUST_LOG`),
//! writing through [`LogLineWriter`], which finishes every line before it leaves the
//! process:
//! - phone numbers are masked ([`crate::masking`]), whichever crate wrote the line: the
//!   Lambda runtime logs the raw event, the caller's number included, at trace level,
//!   and Salesforce's error messages can quote a query;
//! - a JSON line gets a top-level `function` member, so that every line names the
//!   function, also those that libraries write from their own background tasks, outside
//!   any span of ours. (Lines of an invocation carry its span, with the contact id and
//!   the operation.)

use std::io::Write;

use serde_json::Value;

use crate::masking::{mask_json_strings, mask_phone_numbers};

/// Sets up the process's logs for `function`.
pub fn init(function: &'static str) {
    lambda_runtime::tracing::init_default_subscriber_with_writer(move || LogLineWriter {
        inner: std::io::stdout(),
        function,
    });
}

/// One log line finished as the module says.
pub fn finish_line(line: &str, function: &str) -> String {
    let body = line.trim_end_matches(['\n', '\r']);
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(mut members)) => {
            members
                .entry("function")
                .or_insert_with(|| Value::String(function.to_owned()));
            let mut json = Value::Object(members);
            mask_json_strings(&mut json);
            format!("{json}{}", &line[body.len()..])
        }
        _ => mask_phone_numbers(line),
    }
}

/// Writes log lines to `inner`, each finished by [`finish_line`].
pub struct LogLineWriter<W> {
    inner: W,
    function: &'static str,
}

impl<W: Write> Write for LogLineWriter<W> {
    /// Takes all of `buf`: the formatter hands over one whole line per call.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let line = finish_line(&String::from_utf8_lossy(buf), self.function);
        self.inner.write_all(line.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_stay_json_name_the_function_and_hide_numbers() {
        let line = "{\"level\":\"TRACE\",\"fields\":{\"message\":\"raw event\",\"body\":\"{\\\"sf_phone\\\":\\\"+15551234567\\\"}\"},\"sdk_invocation_id\":3338609533}\n";
        let finished = finish_line(line, "sf-phone-lookup");
        assert!(finished.ends_with('\n'));
        let json: Value = serde_json::from_str(&finished).unwrap();
        assert_eq!(json["function"], "sf-phone-lookup");
        assert_eq!(json["sdk_invocation_id"], 3338609533u64);
        assert!(!finished.contains("15551234567"), "{finished}");
        assert!(finished.contains("*******4567"), "{finished}");
    }

    #[test]
    fn a_function_member_already_there_is_kept() {
        let finished = finish_line(r#"{"function":"other"}"#, "sf-lookup");
        assert_eq!(finished, r#"{"function":"other"}"#);
    }

    #[test]
    fn text_lines_are_masked() {
        assert_eq!(
            finish_line("INFO call +15551234567\n", "sf-lookup"),
            "INFO call +*******4567\n"
        );
    }

    #[test]
    fn the_writer_passes_each_line_on_finished() {
        let mut writer = LogLineWriter {
            inner: Vec::new(),
            function: "sf-lookup",
        };
        writer.write_all(b"{\"n\":\"5551234567\"}\n").unwrap();
        assert_eq!(
            String::from_utf8(writer.inner).unwrap(),
            "{\"n\":\"******4567\",\"function\":\"sf-lookup\"}\n"
        );
    }
}
