//! CloudWatch Embedded Metric Format lines, checked against the specification
//! ("Specification: Embedded metric format", CloudWatch User Guide) rather than against
//! what sf-core writes: one JSON object on one line; `_aws.Timestamp` in milliseconds
//! since the epoch; `_aws.CloudWatchMetrics`, each directive with a `Namespace`,
//! `Dimensions` (sets of at most 30 names, each a string member of the line) and
//! `Metrics` (at most 100, each `Name` a number member, its `Unit` one CloudWatch
//! accepts).

use serde_json::{Map, Value};

/// The units CloudWatch accepts (MetricDatum's `Unit`).
pub const UNITS: [&str; 27] = [
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];

/// Whether `line` claims to be an EMF line (a JSON object with `_aws`).
pub fn is_metric_line(line: &str) -> bool {
    serde_json::from_str::<Value>(line).is_ok_and(|json| json.get("_aws").is_some())
}

/// `line` checked as the module says (panicking with the line on a violation), as a
/// JSON object.
pub fn checked_line(line: &str) -> Map<String, Value> {
    let body = line.strip_suffix('\n').unwrap_or(line);
    assert!(!body.contains('\n'), "more than one line: {line}");
    let Ok(Value::Object(root)) = serde_json::from_str::<Value>(body) else {
        panic!("not a JSON object: {line}");
    };
    let aws = root["_aws"].as_object().expect("_aws");
    let timestamp = aws["Timestamp"]
        .as_u64()
        .unwrap_or_else(|| panic!("no integer _aws.Timestamp: {line}"));
    // Milliseconds since the epoch: between 2020 and 2100.
    assert!(
        (1_577_836_800_000..4_102_444_800_000).contains(&timestamp),
        "_aws.Timestamp is not in ms: {line}"
    );
    let directives = aws["CloudWatchMetrics"]
        .as_array()
        .unwrap_or_else(|| panic!("no _aws.CloudWatchMetrics array: {line}"));
    assert!(!directives.is_empty(), "{line}");
    for directive in directives {
        let namespace = directive["Namespace"].as_str().unwrap_or_default();
        assert!(
            !namespace.trim().is_empty() && namespace.len() <= 255,
            "Namespace: {line}"
        );
        let sets = directive["Dimensions"]
            .as_array()
            .unwrap_or_else(|| panic!("no Dimensions array: {line}"));
        for set in sets {
            let set = set.as_array().unwrap_or_else(|| panic!("a set: {line}"));
            assert!(set.len() <= 30, "{line}");
            for dimension in set {
                let name = dimension.as_str().unwrap_or_else(|| panic!("{line}"));
                assert!(
                    root.get(name).is_some_and(Value::is_string),
                    "dimension {name} is no string member: {line}"
                );
            }
        }
        let metrics = directive["Metrics"]
            .as_array()
            .unwrap_or_else(|| panic!("no Metrics array: {line}"));
        assert!(metrics.len() <= 100, "{line}");
        for metric in metrics {
            let name = metric["Name"]
                .as_str()
                .unwrap_or_else(|| panic!("a metric without Name: {line}"));
            assert!(!name.is_empty() && name.len() <= 255, "{line}");
            if let Some(unit) = metric.get("Unit") {
                let unit = unit.as_str().unwrap_or_default();
                assert!(UNITS.contains(&unit), "{name}'s unit {unit:?}: {line}");
            }
            assert!(
                root.get(name).is_some_and(Value::is_number),
                "metric {name} is no number member: {line}"
            );
        }
    }
    root
}

/// The first directive's `(Name, Unit)` pairs (`""` where a metric has no unit).
pub fn metrics(line: &Map<String, Value>) -> Vec<(String, String)> {
    line["_aws"]["CloudWatchMetrics"][0]["Metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|metric| {
            (
                metric["Name"].as_str().unwrap_or_default().to_owned(),
                metric["Unit"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"{"_aws":{"Timestamp":1764460800000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["F"]],"Metrics":[{"Name":"T","Unit":"Milliseconds"}]}]},"F":"f","T":2.5}"#;

    #[test]
    fn a_valid_line_passes() {
        let line = checked_line(VALID);
        assert_eq!(
            metrics(&line),
            vec![("T".to_owned(), "Milliseconds".to_owned())]
        );
        assert!(is_metric_line(VALID));
        assert!(!is_metric_line(r#"{"level":"INFO"}"#));
    }

    #[test]
    fn each_violation_is_caught() {
        for (from, to) in [
            ("1764460800000", "1764460800"),
            (r#""Unit":"Milliseconds""#, r#""Unit":"ms""#),
            (r#""F":"f""#, r#""F":1"#),
            (r#""T":2.5"#, r#""T":"2.5""#),
            (r#","T":2.5"#, ""),
            (r#""Namespace":"N""#, r#""Namespace":"""#),
        ] {
            let broken = VALID.replace(from, to);
            assert!(
                std::panic::catch_unwind(|| checked_line(&broken)).is_err(),
                "{broken}"
            );
        }
    }
}
