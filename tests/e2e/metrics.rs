//! The metric lines in the functions' output: one Embedded Metric Format line per
//! invocation, valid by the specification, in the configured namespace, with the
//! outcome, Salesforce's `errorCode`, the org's API usage from the sandbox's
//! `Sforce-Limit-Info`, the cold start on the first invocation only; and the warning a
//! container logs once when the org's API usage passes its threshold.

use serde_json::{Map, Value, json};
use sf_sandbox::{DEFAULT_DAILY_API_REQUESTS, Sandbox, SandboxConfig};
use sf_test_kit::emf::{checked_line, is_metric_line};
use sf_test_kit::{
    Env, Event, FunctionProcess, RuntimeApi, Stack, demo_event, sandbox_credentials,
};

/// The metric lines among `lines`, each checked against the EMF specification.
fn metric_lines(lines: &[String]) -> Vec<Map<String, Value>> {
    lines
        .iter()
        .filter(|line| is_metric_line(line))
        .map(|line| checked_line(line))
        .collect()
}

/// The dimension sets of `line`'s one directive.
fn dimension_sets(line: &Map<String, Value>) -> &Value {
    &line["_aws"]["CloudWatchMetrics"][0]["Dimensions"]
}

/// The log lines (not metric lines) that `request_id`'s invocation wrote.
fn log_lines_of<'a>(lines: &'a [Value], request_id: &Value) -> Vec<&'a Value> {
    lines
        .iter()
        .filter(|line| line["span"]["requestId"] == *request_id)
        .collect()
}

fn parsed(lines: &[String]) -> Vec<Value> {
    lines
        .iter()
        .filter(|line| !is_metric_line(line))
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

#[tokio::test]
async fn each_invocation_writes_one_metric_line_with_its_outcome() {
    let stack = Stack::start_with(
        "sf-lookup",
        Env::new()
            .credentials(sandbox_credentials::jwt())
            .set("SF_METRICS_NAMESPACE", "Contact Centre/Salesforce"),
    )
    .await;
    stack.invoke(demo_event("lookup")).await.answer();
    stack.invoke(demo_event("lookup")).await.answer();
    let wrong_field = Event::demo("lookup").set("sf_fields", "NoSuchThing__c");
    let salesforce_error = stack.invoke(wrong_field).await.error();
    assert_eq!(salesforce_error["errorType"], "SalesforceError");
    let refused = stack
        .invoke(Event::demo("lookup").replace_parameters(json!({"sf_operation": "unknown"})))
        .await
        .error();
    assert_eq!(refused["errorType"], "InvalidParameter");
    let lines = stack.function.stop().await;

    let metrics = metric_lines(&lines);
    assert_eq!(metrics.len(), 4, "one line per invocation: {lines:#?}");
    for line in &metrics {
        assert_eq!(
            line["_aws"]["CloudWatchMetrics"][0]["Namespace"],
            "Contact Centre/Salesforce"
        );
        assert_eq!(line["Function"], "sf-lookup");
        assert_eq!(line["function"], "sf-lookup");
        assert_eq!(line["Invocations"], 1);
        assert!(line["Duration"].as_f64().unwrap() >= line["SalesforceTime"].as_f64().unwrap());
    }
    let cold_starts: Vec<_> = metrics
        .iter()
        .map(|line| line["ColdStart"].clone())
        .collect();
    assert_eq!(cold_starts, [1, 0, 0, 0]);

    let (first, second) = (&metrics[0], &metrics[1]);
    for ok in [first, second] {
        assert_eq!(ok["Outcome"], "Ok");
        assert_eq!(
            *dimension_sets(ok),
            json!([["Function"], ["Function", "Outcome"]])
        );
        assert!(ok["SalesforceCalls"].as_u64().unwrap() >= 1, "{ok:?}");
        assert!(ok["AnswerBytes"].as_u64().unwrap() > 2, "{ok:?}");
        assert_eq!(ok["ApiLimit"], DEFAULT_DAILY_API_REQUESTS);
    }
    // The sandbox counts every REST request: the second call sees the first's.
    assert!(
        second["ApiUsed"].as_u64() > first["ApiUsed"].as_u64(),
        "{metrics:?}"
    );

    let failed = &metrics[2];
    assert_eq!(failed["Outcome"], "SalesforceError");
    assert_eq!(failed["ErrorCode"], "INVALID_FIELD");
    assert_eq!(
        *dimension_sets(failed),
        json!([
            ["Function"],
            ["Function", "Outcome"],
            ["Function", "ErrorCode"]
        ])
    );
    assert!(!failed.contains_key("AnswerBytes"));

    let invalid = &metrics[3];
    assert_eq!(invalid["Outcome"], "InvalidParameter");
    assert_eq!(invalid["SalesforceCalls"], 0);
    assert!(!invalid.contains_key("ErrorCode") && !invalid.contains_key("ApiUsed"));

    // Each metric line names its invocation as that invocation's log lines do.
    let logs = parsed(&lines);
    for line in &metrics {
        let request_id = &line["requestId"];
        assert!(
            request_id.as_str().is_some_and(|id| id.len() > 8),
            "{line:?}"
        );
        let outcome_lines: Vec<_> = log_lines_of(&logs, request_id)
            .into_iter()
            .filter(|log| {
                matches!(
                    log["fields"]["message"].as_str(),
                    Some("answered" | "failed")
                )
            })
            .collect();
        assert_eq!(outcome_lines.len(), 1, "{request_id}: {lines:#?}");
        assert_eq!(
            outcome_lines[0]["span"]["cold_start"],
            line["ColdStart"] == 1,
            "{request_id}"
        );
    }
}

/// Function `function` against a sandbox whose org allows `daily_api_requests`.
async fn stack_with_allowance(function: &str, daily_api_requests: u64, env: Env) -> Stack {
    let sandbox = Sandbox::start(SandboxConfig {
        daily_api_requests,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let api = RuntimeApi::start().await;
    let env = env.login_url(sandbox.url()).rust_log("info");
    let function = FunctionProcess::start(function, api.address(), &env);
    Stack {
        sandbox,
        api,
        function,
        tls: None,
    }
}

fn is_api_usage_warning(line: &Value) -> bool {
    line["level"] == "WARN" && line["fields"]["api_used"].is_u64()
}

#[tokio::test]
async fn a_container_warns_once_when_the_org_s_api_usage_passes_the_threshold() {
    let stack = stack_with_allowance(
        "sf-lookup",
        6,
        Env::new()
            .credentials(sandbox_credentials::jwt())
            .set("SF_API_USAGE_WARNING_PERCENT", "50"),
    )
    .await;
    // Until the allowance is spent, and two calls beyond.
    let mut refusals = Vec::new();
    for _ in 0..8 {
        if let sf_test_kit::Invocation::Error(error) = stack.invoke(demo_event("lookup")).await {
            refusals.push(error);
        }
    }
    assert!(!refusals.is_empty(), "the allowance was never spent");
    for refusal in &refusals {
        let message = refusal["errorMessage"].as_str().unwrap();
        assert!(message.contains("REQUEST_LIMIT_EXCEEDED"), "{message}");
    }
    let lines = stack.function.stop().await;
    let metrics = metric_lines(&lines);
    assert_eq!(metrics.len(), 8, "{lines:#?}");
    let logs = parsed(&lines);

    let warnings: Vec<_> = logs
        .iter()
        .filter(|line| is_api_usage_warning(line))
        .collect();
    assert_eq!(warnings.len(), 1, "{lines:#?}");
    let warning = warnings[0];
    assert_eq!(warning["fields"]["api_limit"], 6);
    assert_eq!(warning["fields"]["threshold_percent"], 50);
    let used = warning["fields"]["api_used"].as_u64().unwrap();
    assert!(used * 100 > 6 * 50, "{warning}");
    assert_eq!(warning["function"], "sf-lookup");

    // The warning comes with the first invocation that saw usage past 50%.
    let first_past = metrics
        .iter()
        .position(|line| line["ApiUsed"].as_u64().unwrap() * 2 > 6)
        .expect("no invocation saw usage past the threshold");
    assert_eq!(
        warning["span"]["requestId"],
        metrics[first_past]["requestId"]
    );
    assert_eq!(metrics[first_past]["ApiUsed"], used);
    for line in &metrics[..first_past] {
        assert_eq!(line["Outcome"], "Ok");
    }

    let refused = metrics.last().unwrap();
    assert_eq!(refused["Outcome"], "SalesforceError");
    assert_eq!(refused["ErrorCode"], "REQUEST_LIMIT_EXCEEDED");
}
