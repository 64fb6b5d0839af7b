//! Credential rotation through the real binaries: warm containers whose secret the
//! sandbox's token endpoint refuses read the credentials parameter again and log in with
//! the rotated secret, without a restart; a secret that stays wrong is read again at
//! most once per interval. SSM is the in-process Parameter Store endpoint, which counts
//! its calls.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sf_e2e::{FunctionProcess, ParameterStore, RuntimeApi};
use sf_sandbox::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Sandbox, SandboxConfig};

const CREDENTIALS: &str = "/sf-connect/credentials";
/// The consumer secret before the admin regenerated it: the sandbox no longer takes it.
const RETIRED_SECRET: &str = "retired-consumer-secret";
/// The message of the one line a re-read logs.
const REREAD_LINE: &str = "the token endpoint refused the credentials; read them again";

fn credentials(secret: &str) -> String {
    json!({"ConsumerKey": DEFAULT_CLIENT_ID, "ConsumerSecret": secret}).to_string()
}

fn lookup_event() -> Value {
    json!({"Name": "ContactFlowEvent", "Details": {"ContactData": {"ContactId": "c-1"},
        "Parameters": {"sf_object": "Account", "sf_fields": "Id, Name", "Name": "Acme Corporation"}}})
}

/// Waits until the function behind `api` has finished its start-up (its warm-up login).
async fn started(api: &RuntimeApi) {
    let since = Instant::now();
    while api.first_poll_at().is_none() {
        assert!(
            since.elapsed() < Duration::from_secs(30),
            "the function never asked for an event"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn assert_refused(error: &Value) {
    assert_eq!(error["errorType"], "AuthenticationError", "{error}");
    let message = error["errorMessage"].as_str().unwrap_or_default();
    assert!(message.contains("invalid_client"), "{error}");
}

/// The lines of `logs` that report a re-read; none may carry a secret.
fn rereads(logs: &[String]) -> usize {
    for line in logs {
        assert!(
            !line.contains(RETIRED_SECRET) && !line.contains(DEFAULT_CLIENT_SECRET),
            "{line}"
        );
    }
    logs.iter()
        .filter(|line| line.contains(REREAD_LINE))
        .count()
}

#[tokio::test]
async fn a_secret_rotated_in_ssm_reaches_warm_containers() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let store = ParameterStore::start().await;
    // Salesforce already has the new secret; SSM still holds the old one.
    store.put(CREDENTIALS, &credentials(RETIRED_SECRET));
    let mut env = store.aws_env();
    env.extend([
        ("SF_LOGIN_URL", sandbox.url().to_owned()),
        ("SF_CREDENTIALS_PARAMETER", CREDENTIALS.to_owned()),
    ]);

    // Two containers start; each reads the credentials and its warm-up login is refused.
    let rotated_api = RuntimeApi::start().await;
    let rotated = FunctionProcess::start("sf-lookup", rotated_api.address(), &env);
    let wrong_api = RuntimeApi::start().await;
    let wrong = FunctionProcess::start("sf-lookup", wrong_api.address(), &env);
    started(&rotated_api).await;
    started(&wrong_api).await;
    assert_eq!(store.calls("GetParameter"), 2);
    assert_eq!(sandbox.stats().token_requests(), 2);

    // One container fails twice within the interval: it reads SSM once (finding the
    // same secret, it logs in no second time), then not at all.
    assert_refused(&wrong_api.invoke(lookup_event()).await.error());
    assert_eq!(store.calls("GetParameter"), 3);
    assert_eq!(sandbox.stats().token_requests(), 3);
    assert_refused(&wrong_api.invoke(lookup_event()).await.error());
    assert_eq!(store.calls("GetParameter"), 3);
    assert_eq!(sandbox.stats().token_requests(), 4);

    // The admin puts the new secret in SSM. The other container's next invocation is
    // refused with the old one, reads SSM and logs in with the new one: it answers.
    store.put(CREDENTIALS, &credentials(DEFAULT_CLIENT_SECRET));
    let answer = rotated_api.invoke(lookup_event()).await.answer();
    assert_eq!(answer["Name"], "Acme Corporation", "{answer}");
    assert_eq!(store.calls("GetParameter"), 4);
    assert_eq!(sandbox.stats().token_requests(), 6);
    // And keeps the new credentials and token.
    rotated_api.invoke(lookup_event()).await.answer();
    assert_eq!(store.calls("GetParameter"), 4);
    assert_eq!(sandbox.stats().token_requests(), 6);

    // One info line per re-read, without the credentials.
    assert_eq!(rereads(&rotated.stop().await), 1);
    assert_eq!(rereads(&wrong.stop().await), 1);
}
