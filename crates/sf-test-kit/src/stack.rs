//! The running stack of an end-to-end test: an in-process sandbox playing the org, a
//! Lambda Runtime API, and a function binary started against both.

use serde_json::Value;
use sf_sandbox::{Sandbox, SandboxConfig};

use crate::{Env, FunctionProcess, Invocation, RuntimeApi, sandbox_credentials};

/// A function process, its Runtime API and the org it talks to.
pub struct Stack {
    pub sandbox: Sandbox,
    pub api: RuntimeApi,
    pub function: FunctionProcess,
}

impl Stack {
    /// Function `function` (`sf-lookup`, …) logging in with the JWT bearer flow.
    pub async fn start(function: &str) -> Stack {
        Self::start_with(function, Env::new().credentials(sandbox_credentials::jwt())).await
    }

    /// Function `function` configured by `env`, to which the sandbox's login URL is
    /// added, and `RUST_LOG=debug` unless `env` sets it.
    pub async fn start_with(function: &str, env: impl Into<Env>) -> Stack {
        let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
        let api = RuntimeApi::start().await;
        let mut env = env.into().login_url(sandbox.url());
        if env.get("RUST_LOG").is_none() {
            env = env.rust_log("debug");
        }
        let function = FunctionProcess::start(function, api.address(), &env);
        Stack {
            sandbox,
            api,
            function,
        }
    }

    /// Sends `event` (a [`Value`] or an [`crate::Event`]) and waits for the answer.
    pub async fn invoke(&self, event: impl Into<Value>) -> Invocation {
        self.api.invoke(event.into()).await
    }
}
