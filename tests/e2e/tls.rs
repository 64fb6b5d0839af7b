//! The functions over HTTPS, as Lambda runs them against Salesforce and SSM: the
//! sandbox and the SSM endpoints serve certificates signed by a test CA, which the
//! functions trust through `SSL_CERT_FILE` and nothing else. A cold start, every login
//! flow, credentials and the shared token read from SSM over TLS (the in-process
//! Parameter Store and moto), and a certificate the function does not trust.

use std::sync::Arc;

use sf_sandbox::{Sandbox, SandboxConfig};
use sf_test_kit::{
    Env, FunctionProcess, Moto, ParameterStore, RuntimeApi, Stack, Tls, demo_event,
    demo_lookup_answer, sandbox_credentials,
};

const CREDENTIALS: &str = "/sf-connect/credentials";
const TOKEN: &str = "/sf-connect/token";

async fn tls_sandbox(tls: &Tls) -> Sandbox {
    Sandbox::start(SandboxConfig {
        tls: Some(Arc::clone(tls.ca())),
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_cold_start_over_tls_answers_the_lookup() {
    let tls = Tls::new();
    let stack = Stack::start_tls(
        "sf-lookup",
        Env::new().credentials(sandbox_credentials::jwt()),
        &tls,
    )
    .await;
    assert!(stack.sandbox.url().starts_with("https://"));
    let answer = stack.invoke(demo_event("lookup")).await.answer();
    assert_eq!(answer, demo_lookup_answer());
    assert_eq!(stack.sandbox.stats().token_requests(), 1);
}

#[tokio::test]
async fn every_login_flow_works_over_tls() {
    let tls = Tls::new();
    for (flow, credentials) in [
        ("username-password", sandbox_credentials::password()),
        (
            "client credentials",
            sandbox_credentials::client_credentials(),
        ),
        ("JWT bearer", sandbox_credentials::jwt()),
    ] {
        let stack = Stack::start_tls("sf-create", Env::new().credentials(credentials), &tls).await;
        let answer = stack.invoke(demo_event("create")).await.answer();
        let id = answer["Id"]
            .as_str()
            .unwrap_or_else(|| panic!("{flow}: {answer}"));
        let case = stack.sandbox.record("Case", id).unwrap();
        assert_eq!(case["Subject"], "Caller reported a broken widget", "{flow}");
        assert_eq!(stack.sandbox.stats().token_requests(), 1, "{flow}");
    }
}

#[tokio::test]
async fn credentials_and_the_shared_token_come_from_ssm_over_tls() {
    let tls = Tls::new();
    let sandbox = tls_sandbox(&tls).await;
    let store = ParameterStore::start_tls(&tls).await;
    assert!(store.url().starts_with("https://"));
    store.put(CREDENTIALS, &sandbox_credentials::jwt());
    let env = store
        .aws_env()
        .login_url(sandbox.url())
        .credentials_parameter(CREDENTIALS)
        .token_cache_parameter(TOKEN);
    let mut env = env;
    env.extend(tls.env().iter().cloned());

    // Two cold containers, one after the other: the second reads the first's token.
    let mut running = Vec::new();
    for _ in 0..2 {
        let api = RuntimeApi::start().await;
        let function = FunctionProcess::start("sf-lookup", api.address(), &env);
        let answer = api.invoke(demo_event("lookup")).await.answer();
        assert_eq!(answer, demo_lookup_answer());
        running.push((api, function));
    }
    assert_eq!(sandbox.stats().token_requests(), 1);
    assert!(
        store.calls("GetParameter") >= 3,
        "credentials twice, the token"
    );
    assert!(store.get(TOKEN).is_some());
}

#[tokio::test]
async fn credentials_come_from_moto_over_tls() {
    let tls = Tls::new();
    let moto = Moto::start_tls(&tls);
    assert!(moto.url().starts_with("https://"));
    moto.put_parameter(CREDENTIALS, &sandbox_credentials::password())
        .await;
    let stack = Stack::start_tls(
        "sf-lookup",
        moto.aws_env().credentials_parameter(CREDENTIALS),
        &tls,
    )
    .await;
    let answer = stack.invoke(demo_event("lookup")).await.answer();
    assert_eq!(answer, demo_lookup_answer());
}

#[tokio::test]
async fn a_certificate_the_function_does_not_trust_stops_the_login() {
    let tls = Tls::new();
    let sandbox = tls_sandbox(&tls).await;
    let api = RuntimeApi::start().await;
    // No SSL_CERT_FILE: the function trusts the system's CAs, none of which signed
    // the sandbox's certificate.
    let env = Env::new()
        .login_url(sandbox.url())
        .credentials(sandbox_credentials::jwt());
    let _function = FunctionProcess::start("sf-lookup", api.address(), &env);
    let error = api.invoke(demo_event("lookup")).await.error();
    let message = error["errorMessage"].as_str().unwrap_or_default();
    assert!(message.contains("certificate"), "{error}");
    assert_eq!(sandbox.stats().token_requests(), 0);
}
