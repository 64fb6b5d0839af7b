//! The running stack of an end-to-end test: an in-process sandbox playing the org, a
//! Lambda Runtime API, and a function binary started against both, over HTTP or HTTPS.

use serde_json::Value;
use sf_sandbox::{Sandbox, SandboxConfig};

use crate::{Env, FunctionProcess, Invocation, RuntimeApi, Tls, sandbox_credentials};

/// A function process, its Runtime API and the org it talks to.
pub struct Stack {
    pub sandbox: Sandbox,
    pub api: RuntimeApi,
    pub function: FunctionProcess,
    /// The CA of an HTTPS stack, whose file the function reads.
    pub tls: Option<Tls>,
}

impl Stack {
    /// Function `function` (`sf-lookup`, …) logging in with the JWT bearer flow.
    pub async fn start(function: &str) -> Stack {
        Self::start_with(function, Env::new().credentials(sandbox_credentials::jwt())).await
    }

    /// Function `function` configured by `env`, to which the sandbox's login URL is
    /// added, and `RUST_LOG=debug` unless `env` sets it.
    pub async fn start_with(function: &str, env: impl Into<Env>) -> Stack {
        Self::serve(function, env.into(), None).await
    }

    /// [`Stack::start_with`] over HTTPS, as Lambda runs the functions: the sandbox serves
    /// a certificate signed by `tls`'s CA, which the function trusts through
    /// `SSL_CERT_FILE` (an SSM endpoint in `env` is for the caller to start with
    /// the same `tls`).
    pub async fn start_tls(function: &str, env: impl Into<Env>, tls: &Tls) -> Stack {
        Self::serve(function, env.into(), Some(tls)).await
    }

    async fn serve(function: &str, env: Env, tls: Option<&Tls>) -> Stack {
        let config = SandboxConfig {
            tls: tls.map(|tls| tls.ca().clone()),
            ..SandboxConfig::default()
        };
        let sandbox = Sandbox::start(config).await.unwrap();
        let api = RuntimeApi::start().await;
        let mut env = env.login_url(sandbox.url());
        if let Some(tls) = tls {
            env.extend(tls.env().iter().cloned());
        }
        if env.get("RUST_LOG").is_none() {
            env = env.rust_log("debug");
        }
        let function = FunctionProcess::start(function, api.address(), &env);
        Stack {
            sandbox,
            api,
            function,
            tls: tls.cloned(),
        }
    }

    /// Sends `event` (a [`Value`] or an [`crate::Event`]) and waits for the answer.
    pub async fn invoke(&self, event: impl Into<Value>) -> Invocation {
        self.api.invoke(event.into()).await
    }
}
