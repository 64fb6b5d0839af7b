//! A function's environment: the `SF_*` and `AWS_*` variables it is configured by,
//! built in one place so that no test spells a variable's name. The same [`Env`]
//! configures sf-core in-process (`Config::from_lookup(env.lookup())`) and a function
//! binary ([`crate::FunctionProcess::start`]).

use std::fmt::Display;
use std::ops::Deref;

use crate::moto::{ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY};

/// Variables by name, each set at most once; nothing else is set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Env(Vec<(&'static str, String)>);

impl Env {
    pub fn new() -> Env {
        Env::default()
    }

    /// `SF_LOGIN_URL`: where the function logs in (the sandbox's or mockito's URL).
    pub fn login_url(self, url: impl Display) -> Env {
        self.set("SF_LOGIN_URL", url)
    }

    /// `SF_CREDENTIALS`: the credentials JSON itself (see [`crate::sandbox_credentials`]).
    pub fn credentials(self, json: impl Display) -> Env {
        self.set("SF_CREDENTIALS", json)
    }

    /// `SF_CREDENTIALS_PARAMETER`: the SSM parameter holding the credentials.
    pub fn credentials_parameter(self, name: impl Display) -> Env {
        self.set("SF_CREDENTIALS_PARAMETER", name)
    }

    /// `SF_TOKEN_CACHE_PARAMETER`: the SSM parameter the functions share a token through.
    pub fn token_cache_parameter(self, name: impl Display) -> Env {
        self.set("SF_TOKEN_CACHE_PARAMETER", name)
    }

    /// `SF_JWT_AUDIENCE`: the `aud` of the JWT bearer flow's assertion.
    pub fn jwt_audience(self, audience: impl Display) -> Env {
        self.set("SF_JWT_AUDIENCE", audience)
    }

    /// `SSL_CERT_FILE`: the only CA certificates (PEM) a function trusts, as OpenSSL
    /// and rustls-native-certs read it (see [`crate::Tls`]).
    pub fn ssl_cert_file(self, path: impl Display) -> Env {
        self.set("SSL_CERT_FILE", path)
    }

    /// `RUST_LOG`: the log filter of a function binary.
    pub fn rust_log(self, filter: impl Display) -> Env {
        self.set("RUST_LOG", filter)
    }

    /// The variables that point an AWS SDK at the local endpoint `url` (`moto_server`,
    /// a [`crate::ParameterStore`]) with the tests' identity and region.
    pub fn aws_endpoint(self, url: impl Display) -> Env {
        self.set("AWS_ENDPOINT_URL", url)
            .set("AWS_REGION", REGION)
            .set("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .set("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
    }

    /// Sets `name` to `value`, replacing any earlier value.
    pub fn set(mut self, name: &'static str, value: impl Display) -> Env {
        self.push((name, value.to_string()));
        self
    }

    /// Unsets `name`.
    pub fn remove(mut self, name: &str) -> Env {
        self.0.retain(|(variable, _)| *variable != name);
        self
    }

    /// Sets a variable in place, replacing any earlier value of it.
    pub fn push(&mut self, (name, value): (&'static str, String)) {
        self.0.retain(|(variable, _)| *variable != name);
        self.0.push((name, value));
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(variable, _)| *variable == name)
            .map(|(_, value)| value.as_str())
    }

    /// The environment as `sf_core::Config::from_lookup` reads it.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<String> + use<> {
        let env = self.clone();
        move |name| env.get(name).map(str::to_owned)
    }
}

/// The variables, as [`crate::FunctionProcess::start`] takes them.
impl Deref for Env {
    type Target = [(&'static str, String)];

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Extend<(&'static str, String)> for Env {
    fn extend<I: IntoIterator<Item = (&'static str, String)>>(&mut self, variables: I) {
        for variable in variables {
            self.push(variable);
        }
    }
}

impl From<Vec<(&'static str, String)>> for Env {
    fn from(variables: Vec<(&'static str, String)>) -> Env {
        let mut env = Env::new();
        env.extend(variables);
        env
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_set_twice_keeps_its_last_value() {
        let env = Env::new()
            .login_url("http://127.0.0.1:1")
            .credentials("{}")
            .login_url("http://127.0.0.1:2");
        assert_eq!(env.get("SF_LOGIN_URL"), Some("http://127.0.0.1:2"));
        assert_eq!(env.len(), 2);
        let lookup = env.lookup();
        assert_eq!(lookup("SF_CREDENTIALS").as_deref(), Some("{}"));
        assert_eq!(lookup("SF_API_VERSION"), None);
    }

    #[test]
    fn removed_variables_are_unset() {
        let env = Env::new()
            .aws_endpoint("http://127.0.0.1:1")
            .remove("AWS_REGION");
        assert_eq!(env.get("AWS_REGION"), None);
        assert_eq!(env.get("AWS_ACCESS_KEY_ID"), Some(ACCESS_KEY_ID));
    }
}
