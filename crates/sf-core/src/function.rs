//! The Lambda side: one handler for every operation, and [`serve`], which a binary's
//! `main` calls to become one of the functions of [`crate::catalog`].
//!
//! State is built once per container, before the first event: the configuration, the
//! HTTP client, the credentials and a first token (so that the first caller does not
//! wait for them, and a failure there is reported on the first invocation rather than
//! leaving a container that can never start).
//!
//! Each invocation's log lines carry its span: the operation, the contact id, the
//! Lambda `requestId`, `cold_start` and the `xray_trace_id` when the runtime gives one.
//! After each, [`crate::metrics`] writes its metric line.

use std::time::{Instant, SystemTime};

use lambda_runtime::{LambdaEvent, service_fn};
use serde_json::Value;
use time::OffsetDateTime;
use tracing::Instrument;

use crate::answer::encoded_size;
use crate::config::Config;
use crate::deadline::{Deadline, WARM_UP_BUDGET};
use crate::error::{Error, Result};
use crate::invocation_context::{Facts, InvocationContext};
use crate::logging;
use crate::masking::mask_phone_numbers;
use crate::metrics::{
    DEFAULT_API_USAGE_WARNING_PERCENT, DEFAULT_NAMESPACE, InvocationReport, Metrics, Outcome,
};
use crate::operations::{Invocation, Operation};
use crate::parameters::ConnectEvent;
use crate::salesforce::Salesforce;

/// One function: its operation, the Salesforce client it keeps between invocations,
/// and its metrics.
pub struct Function {
    operation: Operation,
    salesforce: Salesforce,
    metrics: Metrics,
}

/// What the Lambda runtime says about an invocation besides its event.
#[derive(Debug, Clone, Copy)]
pub struct RequestIds<'a> {
    /// The Lambda request id (`-` outside Lambda).
    pub request_id: &'a str,
    /// The X-Ray trace header, when tracing is on.
    pub xray_trace_id: Option<&'a str>,
}

impl Default for RequestIds<'_> {
    fn default() -> Self {
        RequestIds {
            request_id: "-",
            xray_trace_id: None,
        }
    }
}

impl Function {
    /// A function publishing its metrics in the default namespace, warning at the
    /// default API usage: [`Function::with_metrics`] to change them.
    pub fn new(operation: Operation, salesforce: Salesforce) -> Self {
        Function {
            operation,
            salesforce,
            metrics: Metrics::new(DEFAULT_NAMESPACE, DEFAULT_API_USAGE_WARNING_PERCENT),
        }
    }

    pub fn with_metrics(self, metrics: Metrics) -> Self {
        Function { metrics, ..self }
    }

    pub fn salesforce(&self) -> &Salesforce {
        &self.salesforce
    }

    /// Answers one Connect event, within `deadline`.
    pub async fn handle(&self, payload: Value, deadline: Deadline) -> Result<Value> {
        self.handle_request(payload, deadline, RequestIds::default())
            .await
    }

    /// [`Function::handle`] for an event from the Lambda runtime, within its deadline.
    pub async fn handle_event(&self, event: LambdaEvent<Value>) -> Result<Value> {
        let deadline = Deadline::for_invocation(event.context.deadline());
        let ids = RequestIds {
            request_id: &event.context.request_id,
            xray_trace_id: event.context.xray_trace_id.as_deref(),
        };
        self.handle_request(event.payload, deadline, ids).await
    }

    /// Answers one Connect event, within `deadline`, and publishes its metrics.
    pub async fn handle_request(
        &self,
        payload: Value,
        deadline: Deadline,
        ids: RequestIds<'_>,
    ) -> Result<Value> {
        let started = Instant::now();
        let started_at = SystemTime::now();
        let now = OffsetDateTime::now_utc();
        let cold_start = self.metrics.cold_start();
        let event = ConnectEvent::from_payload(payload);
        let contact_id = match &event {
            Ok(event) => event.contact_id().unwrap_or("-"),
            Err(_) => "-",
        };
        let span = tracing::info_span!(
            "invocation",
            operation = self.operation.function_name(),
            contact_id,
            requestId = ids.request_id,
            cold_start,
            xray_trace_id = ids.xray_trace_id,
        );
        let (outcome, facts) = match event {
            Ok(event) => {
                let parameters = event.into_parameters();
                let call = Invocation {
                    salesforce: &self.salesforce,
                    parameters: &parameters,
                    context: InvocationContext::new(deadline),
                    now,
                };
                // Boxed: the operations' nested futures are too deep to lay out inline.
                let outcome = Box::pin(self.operation.run(&call))
                    .instrument(span.clone())
                    .await;
                (outcome, call.context.facts())
            }
            Err(error) => (Err(error), Facts::default()),
        };
        span.in_scope(|| {
            match &outcome {
                Ok(_) => tracing::info!("answered"),
                // Salesforce's messages can quote the query, and so the caller's number.
                Err(error) => tracing::warn!(
                    error_type = error.error_type(),
                    error = %mask_phone_numbers(&error.to_string()),
                    "failed"
                ),
            }
            let error = outcome.as_ref().err();
            self.metrics.publish(&InvocationReport {
                function: self.operation.function_name(),
                request_id: ids.request_id,
                started: started_at,
                duration: started.elapsed(),
                outcome: Outcome::of(error),
                error_code: InvocationReport::error_code(error),
                facts: &facts,
                cold_start,
                answer_bytes: match &outcome {
                    Ok(answer) => Some(encoded_size(answer)),
                    Err(Error::AnswerTooLarge { bytes }) => Some(*bytes),
                    Err(_) => None,
                },
            });
        });
        outcome
    }
}

/// Runs `operation` as a Lambda function until the runtime stops it.
pub async fn serve(operation: Operation) -> std::result::Result<(), lambda_runtime::Error> {
    logging::init(operation.function_name());
    let config =
        Config::from_env().inspect_err(|error| tracing::error!(%error, "bad configuration"))?;
    let salesforce = Salesforce::from_config(&config).await?;
    // The operation's own start-up work (CPU) runs on a blocking thread while the
    // warm-up waits on the network, so neither waits for the other.
    let prepared = tokio::task::spawn_blocking(move || operation.prepare());
    match salesforce.warm_up(Deadline::after(WARM_UP_BUDGET)).await {
        Ok(()) => {}
        // SF_LOGIN_URL that cannot serve the secret's flow: said at start-up as loudly
        // as a malformed variable. The container stays, answering each invocation with
        // it, since the secret may be corrected in SSM without a redeploy.
        Err(error @ Error::Configuration { .. }) => {
            tracing::error!(error_type = error.error_type(), %error, "bad configuration");
        }
        Err(error) => {
            tracing::warn!(error_type = error.error_type(), %error, "warm-up failed; the first invocation will try again");
        }
    }
    // A failure here is only a lost head start: the first invocation does the work.
    let _ = prepared.await;
    let metrics = Metrics::new(&config.metrics_namespace, config.api_usage_warning_percent);
    let function = Function::new(operation, salesforce).with_metrics(metrics);
    let function = &function;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        function
            .handle_event(event)
            .await
            .map_err(Error::into_diagnostic)
    }))
    .await
}

impl Error {
    fn into_diagnostic(self) -> lambda_runtime::Diagnostic {
        self.into()
    }
}
