//! Logs and secrets: every function at the most verbose level (`RUST_LOG=trace`),
//! through its success path and its failure paths, with credentials holding every kind
//! of secret. Every line it writes (stdout and stderr) must be a JSON object naming the
//! function; the lines of an invocation must name the contact, the Lambda request, the
//! X-Ray trace and whether the container was cold; and no secret, token or caller's
//! full phone number may appear in any line or in any error the flow sees.

use serde_json::{Value, json};
use sf_sandbox::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD, DEFAULT_SECURITY_TOKEN,
    DEFAULT_USERNAME, TEST_JWT_PRIVATE_KEY_PEM,
};
use sf_test_kit::emf::is_metric_line;
use sf_test_kit::{Env, Event, Invocation, Moto, Stack, demo_event, functions};

/// The contact of the demo events.
const CONTACT_ID: &str = "5ca32fbd-8f92-46af-92a5-6b0f970f0efe";
/// Phone numbers the events carry: the caller's (CustomerEndpoint, sf_phone), its
/// national form, and the number dialled.
const PHONE_NUMBERS: [&str; 4] = ["15551234567", "5551234567", "18005550100", "441122334455"];

/// Credentials holding every secret the functions know of, logging in with `flow`.
fn every_secret(flow: &str) -> Value {
    json!({
        "AuthFlow": flow,
        "ConsumerKey": DEFAULT_CLIENT_ID,
        "ConsumerSecret": DEFAULT_CLIENT_SECRET,
        "Username": DEFAULT_USERNAME,
        "Password": DEFAULT_PASSWORD,
        "AccessToken": DEFAULT_SECURITY_TOKEN,
        "PrivateKey": TEST_JWT_PRIVATE_KEY_PEM,
    })
}

/// What must never be written: the credentials' secrets, every line of the private
/// key's body, and the marks of a JWT assertion or an OAuth form.
fn static_secrets() -> Vec<String> {
    let mut secrets: Vec<String> = [
        DEFAULT_CLIENT_SECRET,
        DEFAULT_PASSWORD,
        DEFAULT_SECURITY_TOKEN,
        "PRIVATE KEY",
        "assertion=",
        "client_secret=",
        "password=",
        // The base64 of `{"alg":"RS256"`, the start of every assertion's header.
        "eyJhbGciOiJSUzI1NiI",
    ]
    .iter()
    .map(|secret| (*secret).to_owned())
    .collect();
    secrets.push(format!("{DEFAULT_PASSWORD}{DEFAULT_SECURITY_TOKEN}"));
    secrets.extend(
        TEST_JWT_PRIVATE_KEY_PEM
            .lines()
            .filter(|line| !line.starts_with("-----") && line.len() >= 16)
            .map(str::to_owned),
    );
    secrets
}

/// The access tokens `sandbox` issued, whole and by their secret part (after `!`; the
/// part before is the org id, which is no secret).
fn issued_tokens(sandbox: &sf_sandbox::Sandbox) -> Vec<String> {
    let tokens = sandbox.issued_tokens();
    assert!(!tokens.is_empty(), "the sandbox issued no token");
    tokens
        .iter()
        .flat_map(|token| {
            let secret_part = token.split_once('!').map(|(_, rest)| rest.to_owned());
            [Some(token.clone()), secret_part].into_iter().flatten()
        })
        .collect()
}

/// The trace header the test kit's Runtime API gives every invocation.
const TRACE_ID: &str = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0";

/// Checks `lines` and `errors` of `function` against `secrets`.
fn assert_clean(function: &str, lines: &[String], errors: &[Value], secrets: &[String]) {
    assert!(!lines.is_empty(), "{function} wrote nothing");
    let mut invocation_lines = 0;
    let mut requests = Vec::new();
    let mut cold_requests = Vec::new();
    for line in lines {
        let parsed: Value = serde_json::from_str(line)
            .unwrap_or_else(|_| panic!("{function}: not a JSON line: {line}"));
        assert!(parsed.is_object(), "{function}: {line}");
        for secret in secrets {
            assert!(!line.contains(secret), "{function}: {secret:?} in {line}");
        }
        for number in PHONE_NUMBERS {
            assert!(!line.contains(number), "{function}: {number} in {line}");
        }
        // Every line names the function; one written while an invocation is handled
        // carries its span, with the contact and the operation.
        assert_eq!(parsed["function"], function, "{line}");
        if parsed["span"]["name"] == "invocation" {
            invocation_lines += 1;
            assert_eq!(parsed["span"]["contact_id"], CONTACT_ID, "{line}");
            assert_eq!(parsed["span"]["operation"], function, "{line}");
            assert_eq!(parsed["span"]["xray_trace_id"], TRACE_ID, "{line}");
            let request_id = parsed["span"]["requestId"].as_str().unwrap_or_default();
            assert!(!request_id.is_empty() && request_id != "-", "{line}");
            let cold_start = parsed["span"]["cold_start"]
                .as_bool()
                .unwrap_or_else(|| panic!("{function}: no cold_start in {line}"));
            if !requests.contains(&request_id.to_owned()) {
                requests.push(request_id.to_owned());
            }
            if cold_start && !cold_requests.contains(&request_id.to_owned()) {
                cold_requests.push(request_id.to_owned());
            }
        }
    }
    assert!(
        invocation_lines >= 4,
        "{function}: only {invocation_lines} invocation lines"
    );
    // Only the container's first invocation is a cold start.
    assert_eq!(cold_requests, requests[..1], "{function}");
    // And every invocation wrote one metric line, naming its request.
    let metric_requests: Vec<String> = lines
        .iter()
        .filter(|line| is_metric_line(line))
        .map(|line| serde_json::from_str::<Value>(line).unwrap()["requestId"].to_string())
        .map(|id| id.trim_matches('"').to_owned())
        .collect();
    for request_id in &requests {
        assert_eq!(
            metric_requests
                .iter()
                .filter(|id| *id == request_id)
                .count(),
            1,
            "{function}: {request_id}"
        );
    }
    for error in errors {
        let text = error.to_string();
        for secret in secrets {
            assert!(!text.contains(secret), "{function}: {secret:?} in {text}");
        }
    }
}

/// Runs `function` through its paths and answers its log lines and the errors the flow
/// saw: the demo event; again after every token expired (a new login); a 503 (a retry
/// for reads, an error for writes); a Salesforce error; a refused event.
async fn run_every_path(stack: &Stack, operation: &str) -> Vec<Value> {
    let mut errors = Vec::new();
    let mut keep_error = |outcome: Invocation| {
        if let Invocation::Error(error) = outcome {
            errors.push(error);
        }
    };
    keep_error(stack.invoke(demo_event(operation)).await);
    stack.sandbox.faults().expire_tokens();
    keep_error(stack.invoke(demo_event(operation)).await);
    stack.sandbox.faults().fail_next(1, 503);
    keep_error(stack.invoke(demo_event(operation)).await);
    let mut wrong = Event::demo(operation);
    for name in ["sf_object", "sf_fields", "query"] {
        if wrong.parameter(name).is_some() {
            wrong = wrong.set(name, "NoSuchThing__c");
        }
    }
    keep_error(stack.invoke(wrong).await);
    // The demo contact, caller number included.
    keep_error(
        stack
            .invoke(Event::demo("lookup").replace_parameters(json!({"sf_operation": "unknown"})))
            .await,
    );
    assert!(errors.len() >= 2, "{operation}: {errors:?}");
    errors
}

#[tokio::test]
async fn every_function_logs_json_with_the_contact_and_never_a_secret() {
    let secrets = static_secrets();
    for (index, (function, operation)) in functions().enumerate() {
        // Both flows that hold secrets: the JWT bearer flow and the password flow.
        let flow = if index % 2 == 0 { "jwt" } else { "password" };
        let stack = Stack::start_with(
            function,
            Env::new().credentials(every_secret(flow)).rust_log("trace"),
        )
        .await;
        let errors = run_every_path(&stack, operation).await;
        let mut secrets = secrets.clone();
        secrets.extend(issued_tokens(&stack.sandbox));
        let lines = stack.function.stop().await;
        assert_clean(function, &lines, &errors, &secrets);
    }
}

#[tokio::test]
async fn credentials_from_ssm_and_a_refused_login_leave_no_secret_in_the_logs() {
    let moto = Moto::start();
    moto.put_parameter("/connect/salesforce", &every_secret("password").to_string())
        .await;
    let env = moto
        .aws_env()
        .credentials_parameter("/connect/salesforce")
        .rust_log("trace");
    let stack = Stack::start_with("sf-phone-lookup", env).await;
    let errors = run_every_path(&stack, "phoneLookup").await;
    let mut secrets = static_secrets();
    secrets.extend(issued_tokens(&stack.sandbox));
    let lines = stack.function.stop().await;
    assert_clean("sf-phone-lookup", &lines, &errors, &secrets);

    // A refused login: the wrong password is as secret as the right one.
    let wrong_password = "wr0ng-Passw0rd-zq";
    let mut credentials = every_secret("password");
    credentials["Password"] = json!(wrong_password);
    let stack = Stack::start_with(
        "sf-lookup",
        Env::new().credentials(credentials).rust_log("trace"),
    )
    .await;
    let error = stack.invoke(demo_event("lookup")).await.error();
    assert_eq!(error["errorType"], "AuthenticationError", "{error}");
    let mut errors = vec![error];
    errors.extend(run_every_path(&stack, "lookup").await);
    let mut secrets = static_secrets();
    secrets.push(wrong_password.to_owned());
    let lines = stack.function.stop().await;
    assert_clean("sf-lookup", &lines, &errors, &secrets);
}
