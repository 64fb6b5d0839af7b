//! The shared token cache through the real binaries: functions started with
//! `SF_TOKEN_CACHE_PARAMETER`, their credentials in SSM, against the sandbox and an
//! in-process Parameter Store endpoint that counts AWS calls.

use serde_json::json;
use sf_sandbox::{Sandbox, SandboxConfig};
use sf_test_kit::{Env, FunctionProcess, ParameterStore, RuntimeApi, event, sandbox_credentials};

const CREDENTIALS: &str = "/sf-connect/credentials";
const TOKEN: &str = "/sf-connect/token";

fn lookup_event() -> serde_json::Value {
    event(json!({"sf_object": "Account", "sf_fields": "Id, Name", "Name": "Acme Corporation"}))
}

#[tokio::test]
async fn functions_share_one_login_and_make_no_aws_call_when_warm() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    store.put(CREDENTIALS, &sandbox_credentials::client_credentials());
    let env: Env = store
        .aws_env()
        .login_url(sandbox.url())
        .credentials_parameter(CREDENTIALS)
        .token_cache_parameter(TOKEN);

    // Three cold containers, one after the other: one login between them.
    let mut running = Vec::new();
    for _ in 0..3 {
        let api = RuntimeApi::start().await;
        let function = FunctionProcess::start("sf-lookup", api.address(), &env);
        let answer = api.invoke(lookup_event()).await.answer();
        assert_eq!(answer["Name"], "Acme Corporation", "{answer}");
        running.push((api, function));
    }
    assert_eq!(sandbox.stats().token_requests(), 1);
    assert!(store.get(TOKEN).is_some());

    // Warm invocations: Salesforce only.
    let aws_calls = store.total_calls();
    for (api, _) in &running {
        api.invoke(lookup_event()).await.answer();
    }
    assert_eq!(store.total_calls(), aws_calls);
    assert_eq!(sandbox.stats().token_requests(), 1);

    // The shared token is rejected: one container logs in again for all.
    sandbox.faults().expire_tokens();
    for (api, _) in &running {
        api.invoke(lookup_event()).await.answer();
    }
    assert_eq!(sandbox.stats().token_requests(), 2);
}
