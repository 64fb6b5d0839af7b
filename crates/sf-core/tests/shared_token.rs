//! The shared token cache (`SF_TOKEN_CACHE_PARAMETER`) with many containers at once:
//! each "container" is a `Salesforce` client of its own, as in a separate Lambda
//! sandbox, against the local Salesforce sandbox (which counts logins) and an
//! in-process Parameter Store endpoint (which counts AWS calls and makes creates atomic
//! as SSM does).

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::future::join_all;
use sf_core::Salesforce;
use sf_core::credentials::CredentialsReader;
use sf_core::deadline::{CONNECT_BUDGET, Deadline};
use sf_core::invocation_context::InvocationContext;
use sf_core::salesforce::ApiRequest;
use sf_core::shared_token::{LEASE, SharedTokenStore};
use sf_sandbox::{Sandbox, SandboxConfig};
use sf_test_kit::{Env, ParameterStore, sandbox_credentials};
use support::{config_from, ssm_client};

const TOKEN_PARAMETER: &str = "/sf-connect/token";
const LOCK_PARAMETER: &str = "/sf-connect/token-lock";

/// A cold container: no token yet, sharing through `store` when given one.
fn container(sandbox: &Sandbox, store: Option<&ParameterStore>) -> Salesforce {
    let config = config_from(
        &Env::new()
            .login_url(sandbox.url())
            .credentials(sandbox_credentials::client_credentials()),
    );
    let salesforce =
        Salesforce::new(&config, CredentialsReader::with_ssm_client(&config, None)).unwrap();
    match store {
        Some(store) => salesforce.with_shared_tokens(SharedTokenStore::new(
            ssm_client(store.url()),
            TOKEN_PARAMETER,
        )),
        None => salesforce,
    }
}

/// One read, as a lookup makes it; panics on failure.
async fn query(salesforce: &Salesforce) {
    let request = ApiRequest::read("query", "/query").with_query("q", "SELECT Id FROM Account");
    let answer = salesforce
        .send(
            &request,
            &InvocationContext::new(Deadline::after(CONNECT_BUDGET)),
        )
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
}

async fn all_query(containers: &[Salesforce]) {
    join_all(containers.iter().map(query)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_cold_containers_logs_in_once() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    let containers: Vec<Salesforce> = (0..40).map(|_| container(&sandbox, Some(&store))).collect();
    all_query(&containers).await;
    assert_eq!(sandbox.stats().token_requests(), 1);
    assert!(store.get(TOKEN_PARAMETER).is_some());
    assert_eq!(store.get(LOCK_PARAMETER), None, "the lease is given up");

    // Later cold containers read the token and never log in.
    let late: Vec<Salesforce> = (0..5).map(|_| container(&sandbox, Some(&store))).collect();
    all_query(&late).await;
    assert_eq!(sandbox.stats().token_requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_throttled_store_makes_containers_wait_not_log_in() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    store.throttle_next(30);
    let containers: Vec<Salesforce> = (0..10).map(|_| container(&sandbox, Some(&store))).collect();
    all_query(&containers).await;
    assert_eq!(sandbox.stats().token_requests(), 1);
    assert!(store.total_calls() > 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_the_cache_every_container_logs_in() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let containers: Vec<Salesforce> = (0..40).map(|_| container(&sandbox, None)).collect();
    all_query(&containers).await;
    assert_eq!(sandbox.stats().token_requests(), 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rejected_token_is_replaced_by_one_login_for_all() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    let containers: Vec<Salesforce> = (0..20).map(|_| container(&sandbox, Some(&store))).collect();
    all_query(&containers).await;
    let first = store.get(TOKEN_PARAMETER).unwrap();

    // Every session ends at once (a password reset, a revoked app): each container
    // meets a 401 on its next call, and one of them logs in for all.
    sandbox.faults().expire_tokens();
    all_query(&containers).await;
    assert_eq!(sandbox.stats().token_requests(), 2);
    assert_ne!(store.get(TOKEN_PARAMETER).unwrap(), first);

    // Warm containers make no AWS call at all.
    let calls = store.total_calls();
    all_query(&containers).await;
    assert_eq!(store.total_calls(), calls);
}

#[tokio::test]
async fn a_lease_left_by_a_dead_container_is_taken_over() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    let long_ago = SystemTime::now() - LEASE * 3;
    store.put(
        LOCK_PARAMETER,
        &long_ago
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis()
            .to_string(),
    );
    query(&container(&sandbox, Some(&store))).await;
    assert_eq!(sandbox.stats().token_requests(), 1);
    assert!(store.get(TOKEN_PARAMETER).is_some());
    assert_eq!(store.get(LOCK_PARAMETER), None);
}

#[tokio::test]
async fn a_live_lease_that_yields_no_token_is_waited_for_then_ignored() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    // Another container is logging in (just now) and never finishes.
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    store.put(LOCK_PARAMETER, &now.as_millis().to_string());
    query(&container(&sandbox, Some(&store))).await;
    assert!(
        store.calls("GetParameter") >= 5,
        "it looked for the other container's token a few times before logging in"
    );
    assert_eq!(sandbox.stats().token_requests(), 1);
}

#[tokio::test]
async fn an_ssm_outage_never_stops_a_login() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    store.set_outage(true);
    query(&container(&sandbox, Some(&store))).await;
    assert_eq!(sandbox.stats().token_requests(), 1);
    assert!(store.total_calls() > 0);

    // Nothing listening at all: the same.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let unreachable = container(&sandbox, None).with_shared_tokens(SharedTokenStore::new(
        ssm_client(&closed_url),
        TOKEN_PARAMETER,
    ));
    query(&unreachable).await;
    assert_eq!(sandbox.stats().token_requests(), 2);
}

#[tokio::test]
async fn a_token_from_the_store_is_counted_as_shared_not_as_a_login() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    query(&container(&sandbox, Some(&store))).await;
    let late = container(&sandbox, Some(&store));
    let context = InvocationContext::new(Deadline::after(CONNECT_BUDGET));
    let request = ApiRequest::read("query", "/query").with_query("q", "SELECT Id FROM Account");
    late.send(&request, &context).await.unwrap();
    let facts = context.facts();
    assert_eq!(facts.shared_tokens_used, 1);
    assert_eq!(facts.logins, 0);
    assert_eq!(facts.salesforce_calls, 1);
    assert_eq!(sandbox.stats().token_requests(), 1);
}
