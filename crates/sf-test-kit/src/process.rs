//! A function binary started as Lambda starts a custom runtime: `AWS_LAMBDA_*`
//! variables set, the Runtime API's address given, its output kept line by line so that
//! tests can read the logs.

use std::process::Stdio;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::binaries::binary_path;

pub struct FunctionProcess {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

impl FunctionProcess {
    /// Starts function `name` against the Runtime API at `runtime_api` with `env` (an
    /// [`crate::Env`], or pairs) added to the Lambda variables. The process inherits no
    /// other variable of the test's. The binary is built first if need be.
    pub fn start(name: &str, runtime_api: &str, env: &[(&str, String)]) -> FunctionProcess {
        let mut command = Command::new(binary_path(name));
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_LAMBDA_RUNTIME_API", runtime_api)
            .env("AWS_LAMBDA_FUNCTION_NAME", name)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
            .env("AWS_REGION", "us-east-1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("cannot start the function binary");
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = lines.clone();
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream).lines();
                while let Ok(Some(line)) = reader.next_line().await {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        FunctionProcess { child, lines }
    }

    /// Every line the function has written so far, stdout and stderr.
    pub fn log_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    pub fn id(&self) -> Option<u32> {
        self.child.id()
    }

    pub async fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill().await;
        // Let the readers drain what was written before the kill.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        self.log_lines()
    }
}
