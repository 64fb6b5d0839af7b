//! The fault suite: the sandbox's fault injection against the real binaries. Every
//! fault must end in a clear error in time for the flow's Error branch, reads may be
//! retried a bounded number of times, and a write that may have reached Salesforce is
//! never sent twice.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sf_sandbox::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD, DEFAULT_USERNAME, Fault, Sandbox,
    SandboxConfig,
};
use sf_test_kit::{
    Env, FunctionProcess, Moto, ReservedPort, RuntimeApi, Stack, demo_event, event,
    sandbox_credentials,
};

/// The error type and message of `error`.
fn kind_and_message(error: &Value) -> (&str, &str) {
    (
        error["errorType"].as_str().unwrap_or_default(),
        error["errorMessage"].as_str().unwrap_or_default(),
    )
}

#[tokio::test]
async fn slow_salesforce_is_a_timeout_before_the_invocations_deadline() {
    let stack = Stack::start("sf-lookup").await;
    // Warm: the token is held, so only the query meets the latency.
    stack.invoke(demo_event("lookup")).await.answer();
    stack.sandbox.faults().set_latency(Duration::from_secs(4));
    let deadline = Duration::from_secs(2);
    let started = Instant::now();
    let error = stack
        .api
        .invoke_with_timeout(demo_event("lookup"), deadline)
        .await
        .error();
    assert!(
        started.elapsed() < deadline,
        "answered after the deadline: {:?}",
        started.elapsed()
    );
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "Timeout", "{error}");
    assert!(message.contains("Salesforce (query)"), "{message}");
}

/// A function configured with a long Lambda timeout still answers within Connect's 8
/// seconds: Connect gives up on the invocation then, whatever Lambda would allow.
#[tokio::test]
async fn slow_salesforce_is_given_up_within_connects_8_seconds() {
    let stack = Stack::start("sf-search-one").await;
    stack.invoke(demo_event("searchOne")).await.answer();
    stack.sandbox.faults().set_latency(Duration::from_secs(10));
    let started = Instant::now();
    let error = stack
        .api
        .invoke_with_timeout(demo_event("searchOne"), Duration::from_secs(30))
        .await
        .error();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "answered after Connect's limit: {:?}",
        started.elapsed()
    );
    assert_eq!(kind_and_message(&error).0, "Timeout", "{error}");
}

#[tokio::test]
async fn reads_retry_dropped_connections_and_5xx_a_bounded_number_of_times() {
    let stack = Stack::start("sf-lookup").await;
    stack.invoke(demo_event("lookup")).await.answer();
    stack.sandbox.stats().reset();

    stack.sandbox.faults().inject_next(1, Fault::DropConnection);
    stack.sandbox.faults().fail_next(1, 500);
    let answer = stack.invoke(demo_event("lookup")).await.answer();
    assert_eq!(answer["Id"], "5008V0000000001QAA");
    assert_eq!(stack.sandbox.stats().requests("GET", "/query"), 3);

    // Salesforce down for good: three attempts in all, then its error.
    stack.sandbox.stats().reset();
    stack.sandbox.faults().fail_next(10, 503);
    let error = stack.invoke(demo_event("lookup")).await.error();
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "SalesforceError", "{error}");
    assert!(message.contains("HTTP 503"), "{message}");
    assert_eq!(stack.sandbox.stats().requests("GET", "/query"), 3);
    stack.sandbox.faults().clear();

    // The same for a search, a POST that changes nothing.
    let stack = Stack::start("sf-phone-lookup").await;
    stack.sandbox.faults().inject_next(1, Fault::DropConnection);
    let answer = stack.invoke(demo_event("phoneLookup")).await.answer();
    assert_eq!(answer["Name"], "Jim Smith");
    assert_eq!(
        stack
            .sandbox
            .stats()
            .requests("POST", "/parameterizedSearch"),
        2
    );
}

/// Each write function meets a connection dropped after Salesforce processed its
/// request: one request, one write, and an error saying the outcome is unknown.
#[tokio::test]
async fn no_write_is_repeated_after_it_may_have_reached_salesforce() {
    struct Write {
        function: &'static str,
        event: Value,
        method: &'static str,
        path: &'static str,
        /// The object written, and whether the write landed given its records'
        /// count before.
        object: &'static str,
        landed: fn(&Sandbox, usize) -> bool,
    }
    let writes = [
        Write {
            function: "sf-update",
            event: demo_event("update"),
            method: "PATCH",
            path: "/sobjects/Case/5008V0000000002QAA",
            object: "Case",
            landed: |sandbox, _| {
                sandbox.record("Case", "5008V0000000002QAA").unwrap()["Status"] == "Escalated"
            },
        },
        Write {
            function: "sf-delete",
            event: demo_event("delete"),
            method: "DELETE",
            path: "/sobjects/Task/00T8V0000000003UAA",
            object: "Task",
            landed: |sandbox, _| sandbox.record("Task", "00T8V0000000003UAA").is_none(),
        },
        Write {
            function: "sf-create-chatter-post",
            event: demo_event("createChatterPost"),
            method: "POST",
            path: "/chatter/feed-elements",
            object: "FeedItem",
            landed: |sandbox, before| sandbox.records("FeedItem").len() == before + 1,
        },
        Write {
            function: "sf-create-chatter-comment",
            event: demo_event("createChatterComment"),
            method: "POST",
            path: "/capabilities/comments/items",
            object: "FeedComment",
            landed: |sandbox, before| sandbox.records("FeedComment").len() == before + 1,
        },
    ];
    for write in writes {
        let stack = Stack::start(write.function).await;
        let before = stack.sandbox.records(write.object).len();
        assert!(
            !(write.landed)(&stack.sandbox, before),
            "{}",
            write.function
        );
        stack
            .sandbox
            .faults()
            .inject_next(1, Fault::DropConnectionAfterProcessing);
        let error = stack.invoke(write.event.clone()).await.error();
        let (kind, message) = kind_and_message(&error);
        assert_eq!(kind, "Unreachable", "{}: {error}", write.function);
        assert!(message.contains("Salesforce"), "{message}");
        assert_eq!(
            stack.sandbox.stats().requests(write.method, write.path),
            1,
            "{}",
            write.function
        );
        assert!((write.landed)(&stack.sandbox, before), "{}", write.function);
    }
}

#[tokio::test]
async fn a_write_meeting_a_truncated_answer_is_not_repeated_either() {
    let stack = Stack::start("sf-create").await;
    let cases_before = stack.sandbox.records("Case").len();
    stack.sandbox.faults().inject_next(1, Fault::TruncatedJson);
    let error = stack.invoke(demo_event("create")).await.error();
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "UnexpectedResponse", "{error}");
    assert!(message.contains("not valid JSON"), "{message}");
    assert_eq!(stack.sandbox.stats().requests("POST", "/sobjects/Case"), 1);
    assert_eq!(stack.sandbox.records("Case").len(), cases_before + 1);
}

#[tokio::test]
async fn malformed_json_from_salesforce_is_a_clear_error() {
    let stack = Stack::start("sf-query").await;
    stack.sandbox.faults().inject_next(1, Fault::TruncatedJson);
    let error = stack.invoke(demo_event("query")).await.error();
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "UnexpectedResponse", "{error}");
    assert!(message.contains("not valid JSON"), "{message}");
    // A 200 is an answer, not a failure to retry.
    assert_eq!(stack.sandbox.stats().requests("GET", "/query"), 1);
}

#[tokio::test]
async fn request_limit_exceeded_reaches_the_flow_and_is_not_retried() {
    let stack = Stack::start("sf-search").await;
    stack
        .sandbox
        .faults()
        .inject_next(1, Fault::RequestLimitExceeded);
    let error = stack.invoke(demo_event("search")).await.error();
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "SalesforceError", "{error}");
    assert!(message.contains("REQUEST_LIMIT_EXCEEDED"), "{message}");
    assert_eq!(
        stack
            .sandbox
            .stats()
            .requests("POST", "/parameterizedSearch"),
        1
    );
}

#[tokio::test]
async fn an_answer_over_32_kb_is_the_answer_too_large_error() {
    let stack = Stack::start("sf-query").await;
    for n in 0..20 {
        stack
            .sandbox
            .insert(
                "Case",
                json!({"Subject": format!("bulk {n}"), "Description": "x".repeat(2000), "Status": "New"}),
            )
            .unwrap();
    }
    let error = stack
        .invoke(event(
            json!({"query": "SELECT Id, Description FROM Case WHERE Subject LIKE 'bulk%'"}),
        ))
        .await
        .error();
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "AnswerTooLarge", "{error}");
    assert!(message.contains("sf_fields"), "{message}");
}

#[tokio::test]
async fn a_token_expiring_mid_burst_costs_one_login() {
    let stack = Stack::start("sf-query-one").await;
    for round in 0..6 {
        if round == 3 {
            stack.sandbox.faults().expire_tokens();
        }
        stack.invoke(demo_event("queryOne")).await.answer();
    }
    assert_eq!(stack.sandbox.stats().token_requests(), 2);
}

#[tokio::test]
async fn a_login_server_down_is_a_clear_error_until_it_is_back() {
    let login_server = ReservedPort::new();
    let api = RuntimeApi::start().await;
    let function = FunctionProcess::start(
        "sf-delete",
        api.address(),
        &Env::new()
            .credentials(sandbox_credentials::jwt())
            .login_url(format!("http://127.0.0.1:{}", login_server.port())),
    );
    let error = api.invoke(demo_event("delete")).await.error();
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "Unreachable", "{error}");
    assert!(message.contains("token endpoint"), "{message}");
    assert!(api.init_error().is_none(), "the container must not be lost");

    let sandbox = Sandbox::start(SandboxConfig {
        port: login_server.release(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let answer = api.invoke(demo_event("delete")).await.answer();
    assert_eq!(answer, json!({"Response": "None"}));
    assert!(sandbox.record("Task", "00T8V0000000003UAA").is_none());
    drop(function);
}

#[tokio::test]
async fn invalid_grant_is_an_authentication_error_without_the_password() {
    let wrong_password = "not-the-password-7Hq2";
    let credentials = json!({
        "ConsumerKey": DEFAULT_CLIENT_ID, "ConsumerSecret": DEFAULT_CLIENT_SECRET,
        "Username": DEFAULT_USERNAME, "Password": wrong_password, "AccessToken": "tok3n-5ecret"
    });
    let stack = Stack::start_with("sf-update", Env::new().credentials(credentials)).await;
    let error = stack.invoke(demo_event("update")).await.error();
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "AuthenticationError", "{error}");
    assert!(message.contains("invalid_grant"), "{message}");
    for secret in [
        wrong_password,
        "tok3n-5ecret",
        DEFAULT_CLIENT_SECRET,
        DEFAULT_PASSWORD,
    ] {
        assert!(!message.contains(secret), "{message}");
    }
    assert_eq!(stack.sandbox.stats().data_requests(), 0);
}

#[tokio::test]
async fn ssm_unreachable_at_cold_start_names_the_parameter_and_recovers() {
    let ssm = ReservedPort::new();
    let env = Env::new()
        .aws_endpoint(format!("http://127.0.0.1:{}", ssm.port()))
        .credentials_parameter("/connect/cold");
    let stack = Stack::start_with("sf-search-one", env).await;
    let started = Instant::now();
    let error = stack.invoke(demo_event("searchOne")).await.error();
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let (kind, message) = kind_and_message(&error);
    assert!(matches!(kind, "CredentialsError" | "Timeout"), "{error}");
    assert!(message.contains("`/connect/cold`"), "{message}");

    let moto = Moto::start_on(ssm.release());
    moto.put_parameter("/connect/cold", &sandbox_credentials::client_credentials())
        .await;
    let answer = stack.invoke(demo_event("searchOne")).await.answer();
    assert_eq!(answer["Name"], "Globex Ltd");
}

/// An SSM endpoint that accepts connections and never answers (a VPC without a route,
/// a stalled proxy): set-up gives up early, and the invocation answers a timeout that
/// names the parameter before its deadline.
#[tokio::test]
async fn a_silent_ssm_is_a_timeout_naming_the_parameter_before_the_deadline() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let env = Env::new()
        .aws_endpoint(format!("http://{address}"))
        .credentials_parameter("/connect/silent");
    let stack = Stack::start_with("sf-query", env).await;
    // Set-up is bounded too: the function reports its warm-up failure and takes events.
    let started = Instant::now();
    while !stack
        .function
        .log_lines()
        .iter()
        .any(|line| line.contains("warm-up failed"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "set-up is still waiting for SSM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let deadline = Duration::from_secs(2);
    let started = Instant::now();
    let error = stack
        .api
        .invoke_with_timeout(demo_event("query"), deadline)
        .await
        .error();
    assert!(started.elapsed() < deadline, "{:?}", started.elapsed());
    let (kind, message) = kind_and_message(&error);
    assert_eq!(kind, "Timeout", "{error}");
    assert!(message.contains("`/connect/silent`"), "{message}");
    silent.abort();
}
