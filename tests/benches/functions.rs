//! `make bench`: what each function costs, measured through the Lambda Runtime API
//! on this machine, written to BENCHMARKS.md.
//!
//! Every function runs as its release binary (`SF_E2E_PROFILE=release`) against the
//! local Salesforce sandbox with no added latency, its credentials in an SSM parameter
//! served by the harness's Parameter Store endpoint, which counts AWS calls as the
//! sandbox counts logins and data calls. Both serve HTTPS, as Salesforce and SSM do,
//! with certificates from a test CA the functions trust through `SSL_CERT_FILE`; the
//! same runs over plain HTTP stand beside them. For each function:
//! - cold start: process spawn to first answer, over `BENCH_COLD_SPAWNS` spawns (10)
//!   each over TLS and HTTP, with the shared token cache and without it (a JWT bearer
//!   login), split at the function's first poll of the Runtime API (the end of its
//!   init), with the CPU time the process used to get there;
//! - warm invocations: p50 and p99 over `BENCH_WARM_CALLS` calls (1,000), beside the
//!   same Salesforce call replayed directly against the sandbox (the floor), and the
//!   function process's CPU time per invocation, over TLS and HTTP;
//! - peak resident memory (VmHWM) after the warm run, the stripped binary and its
//!   zipped package (a `bootstrap` in a zip, as Lambda takes it);
//! - AWS and OAuth calls of a cold and a warm invocation, with and without the shared
//!   token cache.
//!
//! Then 200 cold containers (real processes) start at once, with and without the
//! shared token cache, counting logins. The criterion medians of sf-core's pure code
//! (`cargo bench -p sf-core`, run first by `make bench`) are copied in when present.
//!
//! Figures are medians and ratios from one run; nothing here is asserted.
//! `BENCH_FUNCTIONS` (a comma-separated list) and `BENCH_REPORT` (another file) serve
//! comparisons of builds: the harness builds the checked-out source into `CARGO_TARGET_DIR`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sf_sandbox::{RequestRecord, Sandbox, SandboxConfig};
use sf_test_kit::{
    Env, Event, FunctionProcess, ParameterStore, RuntimeApi, Tls, binary_path, demo_event,
    functions, sandbox_credentials,
};

const CREDENTIALS_PARAMETER: &str = "/sf-connect/credentials";
const BURST_CONTAINERS: usize = 200;
/// The heading of BENCHMARKS.md's hand-written last section, which a run keeps.
const HAND_WRITTEN: &str = "\n## Comparisons of builds";

/// The targets of issue 5, checked in the report.
const TARGET_WARM_OVERHEAD_MS: f64 = 0.7;
const TARGET_COLD_MS: f64 = 40.0;
const TARGET_RSS_MB: f64 = 20.0;
const TARGET_ZIP_MB: f64 = 4.0;
/// The targets of issue 13.
const TARGET_TLS_OVER_HTTP_MS: f64 = 10.0;
const TARGET_WARM_CPU_MS: f64 = 0.5;

fn count_from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn repository() -> PathBuf {
    sf_test_kit::workspace_root()
}

/// Hands out events for one function; deletes need a record of their own each time.
struct Events {
    template: Event,
    deletable: Vec<String>,
}

impl Events {
    fn new(sandbox: &Sandbox, operation: &str, calls: usize) -> Events {
        let deletable = if operation == "delete" {
            (0..calls)
                .map(|index| {
                    sandbox
                        .insert("Task", json!({"Subject": format!("bench task {index}")}))
                        .unwrap()
                })
                .collect()
        } else {
            Vec::new()
        };
        Events {
            template: Event::demo(operation),
            deletable,
        }
    }

    fn next(&mut self) -> Value {
        let event = self.template.clone();
        match self.deletable.pop() {
            Some(id) => event.set("sf_id", id).into(),
            None => event.into(),
        }
    }
}

/// What the functions talk to, over one transport: a fresh org and a Parameter Store
/// endpoint holding the credentials, both over HTTPS from one test CA or both over HTTP.
struct Site {
    sandbox: Sandbox,
    store: ParameterStore,
    tls: Option<Tls>,
    /// What the functions trust over TLS (`SSL_CERT_FILE`): the system's CAs and the
    /// test CA, so that they read and parse a bundle the size of Lambda's.
    trusted: Option<PathBuf>,
}

impl Site {
    async fn start(tls: Option<&Tls>, trusted: Option<&PathBuf>) -> Site {
        let config = SandboxConfig {
            tls: tls.map(|tls| tls.ca().clone()),
            ..SandboxConfig::default()
        };
        let sandbox = Sandbox::start(config).await.unwrap();
        let store = match tls {
            Some(tls) => ParameterStore::start_tls(tls).await,
            None => ParameterStore::start().await,
        };
        store.put(CREDENTIALS_PARAMETER, &sandbox_credentials::jwt());
        Site {
            sandbox,
            store,
            tls: tls.cloned(),
            trusted: trusted.cloned(),
        }
    }

    /// The environment of every function here: JWT bearer flow, credentials in SSM,
    /// the test CA trusted over TLS.
    fn env(&self, token_cache: Option<&str>) -> Env {
        let mut env = self
            .store
            .aws_env()
            .login_url(self.sandbox.url())
            .credentials_parameter(CREDENTIALS_PARAMETER)
            .rust_log("warn");
        if let Some(trusted) = &self.trusted {
            env = env.ssl_cert_file(trusted.display());
        }
        match token_cache {
            Some(parameter) => env.token_cache_parameter(parameter),
            None => env,
        }
    }

    /// A client for the floor: the same transport as the functions'.
    fn client(&self) -> reqwest::Client {
        self.tls
            .as_ref()
            .map_or_else(reqwest::Client::new, Tls::client)
    }
}

fn median(values: &mut [f64]) -> f64 {
    percentile(values, 50.0)
}

fn percentile(values: &mut [f64], percent: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        return f64::NAN;
    }
    let rank = (percent / 100.0 * (values.len() - 1) as f64).round() as usize;
    values[rank]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// CPU time the process `pid` has used so far, in ms: user + system time of each of its
/// threads (`/proc/<pid>/task/*/schedstat`, which counts in nanoseconds where
/// `/proc/<pid>/stat` counts in 10 ms ticks).
fn cpu_ms(pid: u32) -> f64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return f64::NAN;
    };
    let nanoseconds: u64 = tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|line| line.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    nanoseconds as f64 / 1e6
}

/// What one cold start cost, and what it called.
struct ColdStart {
    init_ms: f64,
    first_invocation_ms: f64,
    total_ms: f64,
    cpu_ms: f64,
    aws_calls: usize,
    logins: usize,
}

/// The median of one figure over cold starts.
fn cold_median(cold: &[ColdStart], figure: impl Fn(&ColdStart) -> f64) -> f64 {
    median(&mut cold.iter().map(figure).collect::<Vec<_>>())
}

async fn cold_start(
    site: &Site,
    name: &str,
    env: &[(&'static str, String)],
    event: Value,
) -> ColdStart {
    let (sandbox, store) = (&site.sandbox, &site.store);
    let api = RuntimeApi::start().await;
    let (aws_before, logins_before) = (store.total_calls(), sandbox.stats().token_requests());
    let (invocation, (spawned_at, process)) = tokio::join!(api.invoke(event), async {
        let spawned_at = Instant::now();
        (spawned_at, FunctionProcess::start(name, api.address(), env))
    });
    let answered_at = Instant::now();
    if let sf_e2e::Invocation::Error(error) = &invocation {
        panic!("{name} failed its first invocation: {error}");
    }
    let first_poll = api.first_poll_at().unwrap_or(answered_at);
    let cpu_ms = process.id().map_or(f64::NAN, cpu_ms);
    process.stop().await;
    ColdStart {
        init_ms: ms(first_poll - spawned_at),
        first_invocation_ms: ms(answered_at - first_poll),
        total_ms: ms(answered_at - spawned_at),
        cpu_ms,
        aws_calls: store.total_calls() - aws_before,
        logins: sandbox.stats().token_requests() - logins_before,
    }
}

/// A bundle of the system's CAs (Lambda's image has about 140) followed by the test
/// CA, written beside the CA's file.
fn trusted_bundle(tls: &Tls) -> PathBuf {
    let system = [
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/certs/ca-certificates.crt",
    ]
    .iter()
    .find_map(|path| std::fs::read_to_string(path).ok())
    .unwrap_or_default();
    let ca = std::fs::read_to_string(tls.ca_file()).unwrap();
    let path = tls.ca_file().with_extension("bundle.pem");
    std::fs::write(&path, format!("{system}\n{ca}")).unwrap();
    path
}

/// `spawns` cold starts of function `name` against `site`. With the shared token
/// cache (`cached`), a first cold start logs in and shares its token, and the measured
/// ones find it; without it each logs in.
async fn cold_starts(
    site: &Site,
    name: &str,
    operation: &str,
    spawns: usize,
    cached: bool,
) -> Vec<ColdStart> {
    let token = format!("/bench/{name}/token");
    let env = site.env(cached.then_some(token.as_str()));
    let mut events = Events::new(&site.sandbox, operation, spawns + 1);
    if cached {
        cold_start(site, name, &env, events.next()).await;
    }
    let mut cold = Vec::with_capacity(spawns);
    for _ in 0..spawns {
        cold.push(cold_start(site, name, &env, events.next()).await);
    }
    cold
}

/// The warm invocations of one function process, and the floor beside them.
struct Warm {
    p50_ms: f64,
    p99_ms: f64,
    floor_p50_ms: f64,
    floor_p99_ms: f64,
    cpu_per_call_ms: f64,
    peak_rss_kb: u64,
    aws_calls_per_call: f64,
    logins_per_call: f64,
    salesforce_calls_per_call: f64,
}

async fn warm(
    site: &Site,
    name: &str,
    operation: &str,
    env: &[(&'static str, String)],
    calls: usize,
) -> Warm {
    let (sandbox, store) = (&site.sandbox, &site.store);
    let mut events = Events::new(sandbox, operation, calls + 2);
    let api = RuntimeApi::start().await;
    let process = FunctionProcess::start(name, api.address(), env);
    api.invoke(events.next()).await.answer();
    // The request the function sends, to replay as the floor.
    let log_before = sandbox.stats().data_requests();
    api.invoke(events.next()).await.answer();
    let sent: Vec<RequestRecord> = sandbox.stats().request_log()[log_before..].to_vec();

    let (aws_before, logins_before, data_before) = (
        store.total_calls(),
        sandbox.stats().token_requests(),
        sandbox.stats().data_requests(),
    );
    let cpu_before = process.id().map_or(f64::NAN, cpu_ms);
    let mut latencies = Vec::with_capacity(calls);
    for _ in 0..calls {
        let event = events.next();
        let started = Instant::now();
        let invocation = api.invoke(event).await;
        latencies.push(ms(started.elapsed()));
        if let sf_e2e::Invocation::Error(error) = invocation {
            panic!("{name} failed a warm invocation: {error}");
        }
    }
    let cpu_per_call_ms = (process.id().map_or(f64::NAN, cpu_ms) - cpu_before) / calls as f64;
    let per_call = |count: usize| count as f64 / calls as f64;
    let aws_calls_per_call = per_call(store.total_calls() - aws_before);
    let logins_per_call = per_call(sandbox.stats().token_requests() - logins_before);
    let salesforce_calls_per_call = per_call(sandbox.stats().data_requests() - data_before);
    let peak_rss_kb = process.id().map_or(0, peak_rss_kb);
    process.stop().await;

    let mut floor = replay(site, &sent, operation, calls).await;
    Warm {
        p50_ms: percentile(&mut latencies, 50.0),
        p99_ms: percentile(&mut latencies, 99.0),
        floor_p50_ms: percentile(&mut floor, 50.0),
        floor_p99_ms: percentile(&mut floor, 99.0),
        cpu_per_call_ms,
        peak_rss_kb,
        aws_calls_per_call,
        logins_per_call,
        salesforce_calls_per_call,
    }
}

/// The function's Salesforce calls, sent `calls` times straight to the sandbox with a
/// kept-alive client: what the answer costs without the function around it.
async fn replay(site: &Site, sent: &[RequestRecord], operation: &str, calls: usize) -> Vec<f64> {
    let sandbox = &site.sandbox;
    let client = site.client();
    let token = sandbox.issue_token();
    let mut deletable = Events::new(sandbox, operation, calls).deletable;
    let mut latencies = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        for request in sent {
            let path = match deletable.pop() {
                // A delete replayed on a record of its own, as the function's were.
                Some(id) => format!("{}/{id}", request.path.rsplit_once('/').unwrap().0),
                None => request.path.clone(),
            };
            let url = match &request.query {
                Some(query) => format!("{}{path}?{query}", sandbox.url()),
                None => format!("{}{path}", sandbox.url()),
            };
            let mut builder = client
                .request(request.method.parse().unwrap(), url)
                .bearer_auth(&token);
            if !request.body.is_empty() {
                builder = builder
                    .header("content-type", "application/json")
                    .body(request.body.clone());
            }
            let response = builder.send().await.unwrap();
            assert!(response.status().is_success(), "{}", response.status());
            response.bytes().await.unwrap();
        }
        latencies.push(ms(started.elapsed()));
    }
    latencies
}

/// VmHWM of a process, in kB.
fn peak_rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The binary's size and its zipped package's, in bytes: the binary as `bootstrap`
/// in a deflated zip, as `cargo lambda build --output-format zip` packages it.
fn sizes(name: &str) -> (u64, u64) {
    let binary = binary_path(name);
    let binary_bytes = std::fs::metadata(&binary).unwrap().len();
    let zip = std::env::temp_dir().join(format!("{name}-bench.zip"));
    let zipped = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\n\
             with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:\n\
             \u{20}   z.write(sys.argv[1], 'bootstrap')",
        ])
        .arg(&binary)
        .arg(&zip)
        .status()
        .map(|status| status.success())
        .unwrap_or(false);
    let zip_bytes = if zipped {
        std::fs::metadata(&zip).map_or(0, |meta| meta.len())
    } else {
        0
    };
    let _ = std::fs::remove_file(zip);
    (binary_bytes, zip_bytes)
}

/// Logins, AWS calls and the median answer time of `containers` function processes
/// started at once, each answering one lookup.
struct Burst {
    logins: usize,
    aws_calls: usize,
    median_answer_ms: f64,
    failures: usize,
}

async fn burst(site: &Site, containers: usize, token_cache: Option<&str>) -> Burst {
    let (sandbox, store) = (&site.sandbox, &site.store);
    let env = site.env(token_cache);
    let (aws_before, logins_before) = (store.total_calls(), sandbox.stats().token_requests());
    let mut apis = Vec::with_capacity(containers);
    for _ in 0..containers {
        apis.push(RuntimeApi::start().await);
    }
    let started = Instant::now();
    let processes: Vec<FunctionProcess> = apis
        .iter()
        .map(|api| FunctionProcess::start("sf-lookup", api.address(), &env))
        .collect();
    let answers = futures_util::future::join_all(apis.iter().map(|api| async {
        let invocation = api
            .invoke_with_timeout(demo_event("lookup"), Duration::from_secs(20))
            .await;
        (started.elapsed(), invocation)
    }))
    .await;
    for process in processes {
        process.stop().await;
    }
    let failures = answers
        .iter()
        .filter(|(_, invocation)| matches!(invocation, sf_e2e::Invocation::Error(_)))
        .count();
    let mut times: Vec<f64> = answers.iter().map(|(elapsed, _)| ms(*elapsed)).collect();
    Burst {
        logins: sandbox.stats().token_requests() - logins_before,
        aws_calls: store.total_calls() - aws_before,
        median_answer_ms: median(&mut times),
        failures,
    }
}

/// Criterion's median for `id` (`soql/lookup_statement`), in nanoseconds.
fn criterion_median_ns(id: &str) -> Option<f64> {
    let path = sf_test_kit::target_dir()
        .join("criterion")
        .join(id.replace('/', "_"))
        .join("new/estimates.json");
    let estimates: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn command_output(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|model| model.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    format!(
        "{cores} cores ({cpu}), {}, `{}`",
        std::env::consts::ARCH,
        command_output("rustc", &["--version"])
    )
}

/// The release profile's opt-level the binaries were built with: Cargo's override
/// variable when set, else the workspace's `[profile.release]`.
fn release_opt_level() -> String {
    if let Ok(level) = std::env::var("CARGO_PROFILE_RELEASE_OPT_LEVEL") {
        return level;
    }
    let manifest = std::fs::read_to_string(repository().join("Cargo.toml")).unwrap_or_default();
    manifest
        .split("[profile.release]")
        .nth(1)
        .and_then(|profile| {
            profile
                .lines()
                .find_map(|line| line.trim().strip_prefix("opt-level"))
        })
        .map(|value| {
            value
                .trim_start_matches([' ', '='])
                .trim_matches('"')
                .to_owned()
        })
        .unwrap_or_else(|| "3".into())
}

/// The 1-, 5- and 15-minute load averages, from `/proc/loadavg`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|loadavg| {
            loadavg
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

/// One function's figures. Cold starts over TLS and HTTP, with the shared token cache
/// and without it.
struct Row {
    name: &'static str,
    cold: Vec<ColdStart>,
    cold_http: Vec<ColdStart>,
    cold_uncached: Vec<ColdStart>,
    cold_uncached_http: Vec<ColdStart>,
    warm: Warm,
    warm_http: Warm,
    binary_bytes: u64,
    zip_bytes: u64,
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run());
}

async fn run() {
    // The functions must be the release binaries: a debug build measures nothing useful.
    if std::env::var("SF_E2E_PROFILE").as_deref() != Ok("release") {
        panic!(
            "run through `make bench`, which sets SF_E2E_PROFILE=release: the harness then builds and starts release binaries"
        );
    }
    let cold_spawns = count_from_env("BENCH_COLD_SPAWNS", 10);
    let warm_calls = count_from_env("BENCH_WARM_CALLS", 1000);
    let burst_containers = count_from_env("BENCH_BURST_CONTAINERS", BURST_CONTAINERS);
    // The release binaries are built here, before any clock runs: built on first use,
    // inside the first cold start, a build of minutes ran out that invocation's deadline.
    binary_path("sf-lookup");

    // One CA for the run: each site's certificates are new, the trust is the same.
    let tls = Tls::new();
    let trusted = trusted_bundle(&tls);

    // BENCH_FUNCTIONS=sf-lookup,sf-query measures only those (to compare builds).
    let only = std::env::var("BENCH_FUNCTIONS").ok();
    let mut rows = Vec::new();
    for (name, operation) in functions() {
        if only
            .as_deref()
            .is_some_and(|only| !only.split(',').any(|wanted| wanted.trim() == name))
        {
            continue;
        }
        eprintln!("bench: {name}");
        // A fresh org for each function and transport: the records one creates must not
        // change the answers another measures.
        let secure = Site::start(Some(&tls), Some(&trusted)).await;
        let plain = Site::start(None, None).await;
        let cold = cold_starts(&secure, name, operation, cold_spawns, true).await;
        let cold_http = cold_starts(&plain, name, operation, cold_spawns, true).await;
        let cold_uncached = cold_starts(&secure, name, operation, cold_spawns, false).await;
        let cold_uncached_http = cold_starts(&plain, name, operation, cold_spawns, false).await;
        let warm_tls = warm(&secure, name, operation, &secure.env(None), warm_calls).await;
        let warm_http = warm(&plain, name, operation, &plain.env(None), warm_calls).await;
        let (binary_bytes, zip_bytes) = sizes(name);
        rows.push(Row {
            name,
            cold,
            cold_http,
            cold_uncached,
            cold_uncached_http,
            warm: warm_tls,
            warm_http,
            binary_bytes,
            zip_bytes,
        });
    }

    eprintln!("bench: {burst_containers} cold containers at once");
    let site = Site::start(Some(&tls), Some(&trusted)).await;
    let with_cache = burst(&site, burst_containers, Some("/bench/burst/token")).await;
    let without_cache = burst(&site, burst_containers, None).await;

    let report = report(
        &rows,
        &with_cache,
        &without_cache,
        burst_containers,
        cold_spawns,
        warm_calls,
    );
    // BENCH_REPORT writes elsewhere, for a comparison that must not replace the report.
    let path = std::env::var_os("BENCH_REPORT")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository().join("BENCHMARKS.md"));
    // A hand-written section at the end (comparisons of builds this run does not make)
    // is kept.
    let kept = std::fs::read_to_string(&path)
        .ok()
        .and_then(|old| old.find(HAND_WRITTEN).map(|start| old[start..].to_owned()))
        .unwrap_or_default();
    std::fs::write(&path, format!("{report}{kept}")).unwrap();
    eprintln!("bench: wrote {}", path.display());
}

fn report(
    rows: &[Row],
    with_cache: &Burst,
    without_cache: &Burst,
    burst_containers: usize,
    cold_spawns: usize,
    warm_calls: usize,
) -> String {
    let mut out = String::new();
    let mut cold_totals = Vec::new();
    let mut tls_extra = Vec::new();
    let mut overheads = Vec::new();
    let mut warm_cpu = Vec::new();
    let mut rss = Vec::new();
    let mut zips = Vec::new();

    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `make bench` on {}, {}, load average {} when the run began. Every \
         figure is a median, a percentile or a ratio from this one run; the machine is \
         shared (a load above the core count means other work was running), so compare \
         figures within this file, not across runs.\n",
        command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        machine(),
        load_average()
    );
    let _ = writeln!(
        out,
        "Set-up: each function is its release binary (the workspace's `[profile.release]`: \
         opt-level \"{}\", fat LTO, one codegen unit, stripped, panic = abort; a current-thread \
         Tokio runtime), started as Lambda starts a custom runtime and driven through the \
         Lambda Runtime API (the harness in `crates/sf-test-kit/src/runtime_api.rs`). Salesforce is \
         the local sandbox (`crates/sf-sandbox`, no added latency), AWS is an in-process \
         Parameter Store endpoint (`crates/sf-test-kit/src/parameter_store.rs`) holding the credentials \
         (JWT bearer flow) and the shared token; both count the calls they get. Both serve \
         HTTPS, as Salesforce and SSM do, with ECDSA P-256 certificates from a test CA \
         (`crates/sf-sandbox/src/tls.rs`); the functions trust it through `SSL_CERT_FILE`, \
         a bundle of this machine's CAs with the test CA at its end. The same runs over \
         plain HTTP stand beside them. Cold starts: {cold_spawns} \
         spawns per function for each of TLS and HTTP, with and without the token cache; \
         warm: {warm_calls} invocations per function and transport. CPU is the function \
         process's user + system time, summed over its threads from \
         `/proc/<pid>/task/*/schedstat`.\n",
        release_opt_level()
    );

    let _ = writeln!(out, "## Cold start (spawn to first answer)\n");
    let _ = writeln!(
        out,
        "Over TLS is what a contact centre gets; HTTP beside it shows what TLS adds. \
         With the shared token cache a cold container reads the token another one stored; \
         without it, it logs in (the JWT bearer flow: an RSA signature). Init is spawn to \
         the function's first poll of the Runtime API (configuration, credentials from \
         SSM, HTTP client, token); the first invocation is that poll to the answer. \
         Medians, ms.\n"
    );
    let _ = writeln!(
        out,
        "| function | TLS | HTTP | TLS − HTTP | TLS, no token cache | HTTP, no token cache | TLS − HTTP, no cache | TLS init | TLS first invocation |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let total = |cold: &[ColdStart]| cold_median(cold, |c| c.total_ms);
        let (tls, http) = (total(&row.cold), total(&row.cold_http));
        let (tls_login, http_login) = (total(&row.cold_uncached), total(&row.cold_uncached_http));
        cold_totals.push(tls.max(tls_login));
        tls_extra.push((tls - http).max(tls_login - http_login));
        let _ = writeln!(
            out,
            "| `{}` | {tls:.1} | {http:.1} | {:+.1} | {tls_login:.1} | {http_login:.1} | {:+.1} | {:.1} | {:.1} |",
            row.name,
            tls - http,
            tls_login - http_login,
            cold_median(&row.cold, |c| c.init_ms),
            cold_median(&row.cold, |c| c.first_invocation_ms),
        );
    }

    let _ = writeln!(out, "\n## CPU per cold start\n");
    let _ = writeln!(
        out,
        "The function process's CPU time from spawn to its first answer (median ms): on \
         Lambda, init and the first invocation run at the CPU share of the memory size \
         (128 MB is about a twelfth of a core), so CPU milliseconds here become wall-clock \
         milliseconds there.\n"
    );
    let _ = writeln!(
        out,
        "| function | TLS | HTTP | TLS, no token cache | HTTP, no token cache |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for row in rows {
        let cpu = |cold: &[ColdStart]| cold_median(cold, |c| c.cpu_ms);
        let _ = writeln!(
            out,
            "| `{}` | {:.1} | {:.1} | {:.1} | {:.1} |",
            row.name,
            cpu(&row.cold),
            cpu(&row.cold_http),
            cpu(&row.cold_uncached),
            cpu(&row.cold_uncached_http)
        );
    }

    let _ = writeln!(out, "\n## Warm invocations\n");
    let _ = writeln!(
        out,
        "Over TLS, through the Runtime API, against the same Salesforce call replayed \
         straight to the sandbox with a kept-alive client over TLS (the floor: the \
         answer's cost without the function). The overhead includes the Runtime API's own \
         two loopback HTTP exchanges per invocation (next event, answer), which Lambda has \
         too. CPU is the function process's per invocation; the last two columns are the \
         same run over HTTP.\n"
    );
    let _ = writeln!(
        out,
        "| function | p50 ms | p99 ms | floor p50 ms | floor p99 ms | p50 over floor (ms) | p50 ratio | CPU per invocation (ms) | HTTP p50 ms | HTTP CPU per invocation (ms) | Salesforce calls per invocation |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for row in rows {
        let warm = &row.warm;
        let overhead = warm.p50_ms - warm.floor_p50_ms;
        overheads.push(overhead);
        warm_cpu.push(warm.cpu_per_call_ms);
        let _ = writeln!(
            out,
            "| `{}` | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.2} | {:.3} | {:.3} | {:.3} | {:.0} |",
            row.name,
            warm.p50_ms,
            warm.p99_ms,
            warm.floor_p50_ms,
            warm.floor_p99_ms,
            overhead,
            warm.p50_ms / warm.floor_p50_ms,
            warm.cpu_per_call_ms,
            row.warm_http.p50_ms,
            row.warm_http.cpu_per_call_ms,
            warm.salesforce_calls_per_call
        );
    }

    let _ = writeln!(out, "\n## Memory and size\n");
    let _ = writeln!(
        out,
        "Peak resident memory (VmHWM) after the warm run; the release binary as built for \
         this machine ({}) and zipped as `bootstrap`. The deployed ARM64 build (`make \
         build-lambdas`) is of the same order.\n",
        std::env::consts::ARCH
    );
    let _ = writeln!(
        out,
        "| function | peak RSS (MB) | binary (MB) | zipped package (MB) |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for row in rows {
        let rss_mb = row.warm.peak_rss_kb as f64 / 1024.0;
        let zip_mb = row.zip_bytes as f64 / 1_048_576.0;
        rss.push(rss_mb);
        zips.push(zip_mb);
        let _ = writeln!(
            out,
            "| `{}` | {:.1} | {:.2} | {:.2} |",
            row.name,
            rss_mb,
            row.binary_bytes as f64 / 1_048_576.0,
            zip_mb
        );
    }

    let _ = writeln!(out, "\n## AWS and OAuth calls per invocation\n");
    let _ = writeln!(
        out,
        "Counted at the endpoints (Parameter Store and the sandbox's token endpoint), over \
         TLS; medians of the cold starts.\n"
    );
    let _ = writeln!(
        out,
        "| function | cold, token cache: AWS / OAuth | cold, no cache: AWS / OAuth | warm: AWS / OAuth |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for row in rows {
        let _ = writeln!(
            out,
            "| `{}` | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} / {:.0} |",
            row.name,
            cold_median(&row.cold, |c| c.aws_calls as f64),
            cold_median(&row.cold, |c| c.logins as f64),
            cold_median(&row.cold_uncached, |c| c.aws_calls as f64),
            cold_median(&row.cold_uncached, |c| c.logins as f64),
            row.warm.aws_calls_per_call,
            row.warm.logins_per_call
        );
    }

    let _ = writeln!(out, "\n## {burst_containers} cold containers at once\n");
    let _ = writeln!(
        out,
        "{burst_containers} `sf-lookup` processes started together over TLS, each answering \
         one lookup, as a burst of calls scales a function out. Salesforce blocks a user \
         after 3,600 logins an hour.\n"
    );
    let _ = writeln!(
        out,
        "| | logins (token requests) | AWS calls | median spawn to answer (ms) | failed |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for (label, burst) in [
        ("shared token cache", with_cache),
        ("no cache", without_cache),
    ] {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {:.0} | {} |",
            burst.logins, burst.aws_calls, burst.median_answer_ms, burst.failures
        );
    }

    let _ = writeln!(out, "\n## Pure code (criterion, in process)\n");
    let _ = writeln!(out, "| benchmark | median |");
    let _ = writeln!(out, "|---|---:|");
    for id in [
        "soql/lookup_statement",
        "soql/query_replacements",
        "answer/flatten_200_records",
        "template/chatter_message",
        "metrics/invocation_line",
    ] {
        let figure = criterion_median_ns(id).map_or("not run".to_owned(), |ns| {
            if ns >= 1000.0 {
                format!("{:.1} µs", ns / 1000.0)
            } else {
                format!("{ns:.0} ns")
            }
        });
        let _ = writeln!(out, "| `{id}` | {figure} |");
    }

    let worst = |values: &[f64]| values.iter().copied().fold(f64::NAN, f64::max);
    let (cold, overhead, rss, zip, extra, cpu) = (
        worst(&cold_totals),
        worst(&overheads),
        worst(&rss),
        worst(&zips),
        worst(&tls_extra),
        worst(&warm_cpu),
    );
    let _ = writeln!(out, "\n## Targets\n");
    let _ = writeln!(out, "The worst function's figure against each target.\n");
    let _ = writeln!(out, "| target | worst function | result |");
    let _ = writeln!(out, "|---|---:|---|");
    let _ = writeln!(
        out,
        "| warm p50 at most {TARGET_WARM_OVERHEAD_MS} ms above the direct sandbox call | {overhead:.3} ms | {} |",
        met(overhead <= TARGET_WARM_OVERHEAD_MS)
    );
    let _ = writeln!(
        out,
        "| cold start over TLS, spawn to first answer, under {TARGET_COLD_MS} ms (with or without the token cache) | {cold:.1} ms | {} |",
        met(cold < TARGET_COLD_MS)
    );
    let _ = writeln!(
        out,
        "| cold start over TLS within {TARGET_TLS_OVER_HTTP_MS} ms of HTTP (with or without the token cache) | {extra:+.1} ms | {} |",
        met(extra <= TARGET_TLS_OVER_HTTP_MS)
    );
    let _ = writeln!(
        out,
        "| CPU per warm invocation over TLS at most {TARGET_WARM_CPU_MS} ms | {cpu:.3} ms | {} |",
        met(cpu <= TARGET_WARM_CPU_MS)
    );
    let _ = writeln!(
        out,
        "| peak RSS under {TARGET_RSS_MB} MB | {rss:.1} MB | {} |",
        met(rss < TARGET_RSS_MB)
    );
    let _ = writeln!(
        out,
        "| zipped package under {TARGET_ZIP_MB} MB | {zip:.2} MB | {} |",
        met(zip < TARGET_ZIP_MB)
    );
    let warm_aws = rows
        .iter()
        .map(|row| row.warm.aws_calls_per_call)
        .sum::<f64>();
    let warm_logins = rows.iter().map(|row| row.warm.logins_per_call).sum::<f64>();
    let _ = writeln!(
        out,
        "| zero AWS calls on the warm path | {warm_aws:.0} | {} |",
        met(warm_aws == 0.0)
    );
    let _ = writeln!(
        out,
        "| at most one login per container life, none with a valid shared token | {warm_logins:.0} warm, {} in the {burst_containers}-container burst with the cache | {} |",
        with_cache.logins,
        met(warm_logins == 0.0 && with_cache.logins <= 1)
    );
    let _ = writeln!(
        out,
        "\nThe choices behind these figures (release profile, runtime flavour, warm-up) \
         are in the README's [Performance](README.md#performance) section."
    );
    out
}
