//! The functions' configuration, read once from the environment at start-up.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `SF_LOGIN_URL` | base URL of the OAuth token endpoint | `https://login.salesforce.com` |
//! | `SF_API_VERSION` | REST API version, `v66.0` or `66.0` | `v66.0` |
//! | `SF_CREDENTIALS_PARAMETER` | SSM parameter (or `/aws/reference/secretsmanager/<id>`) holding the credentials JSON | required unless `SF_CREDENTIALS` |
//! | `SF_CREDENTIALS` | the credentials JSON inline, for local runs and tests | — |
//! | `SF_USERNAME` | the integration user, where the JSON has no `Username` | — |
//! | `SF_TOKEN_CACHE_PARAMETER` | SSM parameter where containers share one access token | — (each container logs in) |
//! | `SF_JWT_AUDIENCE` | the JWT bearer assertion's `aud`, where the login URL's does not fit | from `SF_LOGIN_URL` ([`crate::auth::audience`]) |
//! | `SF_METRICS_NAMESPACE` | CloudWatch namespace of the per-invocation metrics ([`crate::metrics`]) | `SalesforceConnect` |
//! | `SF_API_USAGE_WARNING_PERCENT` | the org's API usage (in % of its daily requests) past which a container logs a warning, 1–100 | `80` |
//!
//! A malformed value stops the function at start-up with an error naming the variable,
//! rather than failing every call later.

use std::fmt;

use crate::error::{Error, Result};
use crate::metrics::{DEFAULT_API_USAGE_WARNING_PERCENT, DEFAULT_NAMESPACE};

pub const LOGIN_URL: &str = "SF_LOGIN_URL";
pub const API_VERSION: &str = "SF_API_VERSION";
pub const CREDENTIALS_PARAMETER: &str = "SF_CREDENTIALS_PARAMETER";
pub const CREDENTIALS: &str = "SF_CREDENTIALS";
pub const USERNAME: &str = "SF_USERNAME";
pub const TOKEN_CACHE_PARAMETER: &str = "SF_TOKEN_CACHE_PARAMETER";
pub const JWT_AUDIENCE: &str = "SF_JWT_AUDIENCE";
pub const METRICS_NAMESPACE: &str = "SF_METRICS_NAMESPACE";
pub const API_USAGE_WARNING_PERCENT: &str = "SF_API_USAGE_WARNING_PERCENT";

pub const DEFAULT_LOGIN_URL: &str = "https://login.salesforce.com";
pub const DEFAULT_API_VERSION: &str = "v66.0";

/// Where the credentials JSON comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum CredentialsSource {
    /// An SSM parameter name (a SecureString, or a Secrets Manager reference path).
    Parameter(String),
    /// The JSON itself, from `SF_CREDENTIALS`.
    Inline(String),
}

impl fmt::Debug for CredentialsSource {
    // The inline JSON holds secrets: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsSource::Parameter(name) => f.debug_tuple("Parameter").field(name).finish(),
            CredentialsSource::Inline(_) => f.write_str("Inline(<redacted>)"),
        }
    }
}

impl CredentialsSource {
    /// How an error message names the source, without its content.
    pub fn describe(&self) -> String {
        match self {
            CredentialsSource::Parameter(name) => format!("SSM parameter `{name}`"),
            CredentialsSource::Inline(_) => format!("`{CREDENTIALS}`"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Without a trailing slash.
    pub login_url: String,
    /// Always with its `v`, e.g. `v66.0`.
    pub api_version: String,
    pub credentials: CredentialsSource,
    pub username: Option<String>,
    /// The SSM parameter of the shared token cache ([`crate::shared_token`]), if any.
    pub token_cache_parameter: Option<String>,
    /// `SF_JWT_AUDIENCE`, without a trailing slash: the JWT assertion's `aud` in place
    /// of the one the login URL implies.
    pub jwt_audience: Option<String>,
    /// `SF_METRICS_NAMESPACE`: where [`crate::metrics`] publishes.
    pub metrics_namespace: String,
    /// `SF_API_USAGE_WARNING_PERCENT`, 1 to 100.
    pub api_usage_warning_percent: u8,
}

impl Config {
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let read = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let login_url = login_url(read(LOGIN_URL).as_deref().unwrap_or(DEFAULT_LOGIN_URL))?;
        let api_version = api_version(read(API_VERSION).as_deref().unwrap_or(DEFAULT_API_VERSION))?;
        let credentials = match (read(CREDENTIALS_PARAMETER), read(CREDENTIALS)) {
            (Some(name), None) => CredentialsSource::Parameter(name.trim().to_owned()),
            (None, Some(json)) => CredentialsSource::Inline(json),
            (None, None) => {
                return Err(Error::configuration(
                    CREDENTIALS_PARAMETER,
                    format!(
                        "not set: name the SSM parameter that holds the Salesforce credentials \
                         (or set {CREDENTIALS} to the JSON itself for a local run)"
                    ),
                ));
            }
            (Some(_), Some(_)) => {
                return Err(Error::configuration(
                    CREDENTIALS,
                    format!("set either {CREDENTIALS_PARAMETER} or {CREDENTIALS}, not both"),
                ));
            }
        };
        let token_cache_parameter = read(TOKEN_CACHE_PARAMETER)
            .map(|name| parameter_name(TOKEN_CACHE_PARAMETER, &name))
            .transpose()?;
        if let (Some(cache), CredentialsSource::Parameter(credentials)) =
            (&token_cache_parameter, &credentials)
            && cache == credentials
        {
            return Err(Error::configuration(
                TOKEN_CACHE_PARAMETER,
                format!(
                    "must name a parameter of its own: it is overwritten with access tokens, \
                     and {CREDENTIALS_PARAMETER} names the same one"
                ),
            ));
        }
        Ok(Config {
            login_url,
            api_version,
            credentials,
            username: read(USERNAME).map(|name| name.trim().to_owned()),
            token_cache_parameter,
            jwt_audience: read(JWT_AUDIENCE)
                .as_deref()
                .map(jwt_audience)
                .transpose()?,
            metrics_namespace: read(METRICS_NAMESPACE)
                .as_deref()
                .map_or(Ok(DEFAULT_NAMESPACE.to_owned()), metrics_namespace)?,
            api_usage_warning_percent: read(API_USAGE_WARNING_PERCENT).as_deref().map_or(
                Ok(DEFAULT_API_USAGE_WARNING_PERCENT),
                api_usage_warning_percent,
            )?,
        })
    }
}

/// Plain HTTP is accepted only for a stand-in on this machine: tokens never cross a
/// network in clear text.
fn login_url(value: &str) -> Result<String> {
    let url = value.trim().trim_end_matches('/');
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://").filter(|rest| is_loopback(rest)));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => {
            Ok(url.to_owned())
        }
        _ => Err(Error::configuration(
            LOGIN_URL,
            format!(
                "expected an https:// base URL such as {DEFAULT_LOGIN_URL}, \
                 https://test.salesforce.com or https://mydomain.my.salesforce.com, got {value:?}"
            ),
        )),
    }
}

/// An absolute URL, as Salesforce's audiences are: `https://login.salesforce.com`, or an
/// Experience Cloud site's URL with its path (`https://acme.my.site.com/support`). Plain
/// HTTP only for a stand-in on this machine, as for the login URL.
fn jwt_audience(value: &str) -> Result<String> {
    let audience = value.trim().trim_end_matches('/');
    let valid = reqwest::Url::parse(audience).is_ok_and(|url| {
        let host = url.host_str().unwrap_or_default();
        let scheme_fits =
            url.scheme() == "https" || (url.scheme() == "http" && is_loopback_host(host));
        scheme_fits
            && !host.is_empty()
            && url.username().is_empty()
            && url.password().is_none()
            && url.query().is_none()
            && url.fragment().is_none()
    });
    if valid {
        Ok(audience.to_owned())
    } else {
        Err(Error::configuration(
            JWT_AUDIENCE,
            format!(
                "expected an https:// URL such as {DEFAULT_LOGIN_URL}, https://test.salesforce.com \
                 or an Experience Cloud site's URL (https://mydomain.my.site.com/support), got {value:?}"
            ),
        ))
    }
}

/// CloudWatch's rule for a namespace: 1 to 255 of letters, digits, `.-_/#:` and
/// spaces, with something besides spaces; `AWS/` is kept for AWS's own.
fn metrics_namespace(value: &str) -> Result<String> {
    let valid = value.len() <= 255
        && !value.trim().is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_/#: ".contains(&b))
        && !value.starts_with("AWS/");
    if valid {
        Ok(value.to_owned())
    } else {
        Err(Error::configuration(
            METRICS_NAMESPACE,
            format!(
                "expected a CloudWatch namespace of 1 to 255 letters, digits and . - _ / # : or spaces, \
                 not starting with AWS/, such as {DEFAULT_NAMESPACE}, got {value:?}"
            ),
        ))
    }
}

fn api_usage_warning_percent(value: &str) -> Result<u8> {
    match value.trim().parse::<u8>() {
        Ok(percent @ 1..=100) => Ok(percent),
        _ => Err(Error::configuration(
            API_USAGE_WARNING_PERCENT,
            format!(
                "expected a whole percentage from 1 to 100, such as \
                 {DEFAULT_API_USAGE_WARNING_PERCENT}, got {value:?}"
            ),
        )),
    }
}

fn is_loopback(host_and_port: &str) -> bool {
    let host = host_and_port
        .rsplit_once(':')
        .map_or(host_and_port, |(host, _port)| host);
    is_loopback_host(host)
}

fn is_loopback_host(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// An SSM parameter name the functions write to: letters, digits and `_.-/`, and not
/// starting with the prefixes SSM reserves (`aws`, `ssm`; a Secrets Manager reference
/// under `/aws/` is read-only).
fn parameter_name(variable: &str, value: &str) -> Result<String> {
    let name = value.trim();
    let unrooted = name.trim_start_matches('/').to_ascii_lowercase();
    let valid = !unrooted.is_empty()
        && name.len() <= 1011
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-/".contains(&b))
        && !unrooted.starts_with("aws")
        && !unrooted.starts_with("ssm");
    if valid {
        Ok(name.to_owned())
    } else {
        Err(Error::configuration(
            variable,
            format!(
                "expected an SSM parameter name of letters, digits and _.-/ (not starting with aws or ssm), \
                 such as /sf-connect/token, got {value:?}"
            ),
        ))
    }
}

fn api_version(value: &str) -> Result<String> {
    let trimmed = value.trim();
    let number = trimmed.strip_prefix('v').unwrap_or(trimmed);
    let valid = number.split_once('.').is_some_and(|(major, minor)| {
        !major.is_empty() && major.bytes().all(|b| b.is_ascii_digit()) && minor == "0"
    });
    if valid {
        Ok(format!("v{number}"))
    } else {
        Err(Error::configuration(
            API_VERSION,
            format!("expected a REST API version such as v66.0 or 66.0, got {value:?}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| env.get(name).cloned())
    }

    #[test]
    fn defaults_with_a_parameter() {
        let config = config(&[(CREDENTIALS_PARAMETER, "/connect/salesforce")]).unwrap();
        assert_eq!(
            config,
            Config {
                login_url: DEFAULT_LOGIN_URL.into(),
                api_version: "v66.0".into(),
                credentials: CredentialsSource::Parameter("/connect/salesforce".into()),
                username: None,
                token_cache_parameter: None,
                jwt_audience: None,
                metrics_namespace: "SalesforceConnect".into(),
                api_usage_warning_percent: 80,
            }
        );
    }

    #[test]
    fn every_variable_read() {
        let config = config(&[
            (LOGIN_URL, "https://acme.my.salesforce.com/"),
            (API_VERSION, "62.0"),
            (CREDENTIALS, r#"{"ConsumerKey":"k"}"#),
            (USERNAME, " integration@acme.com "),
            (METRICS_NAMESPACE, "Contact Centre/Salesforce"),
            (API_USAGE_WARNING_PERCENT, " 95 "),
        ])
        .unwrap();
        assert_eq!(config.metrics_namespace, "Contact Centre/Salesforce");
        assert_eq!(config.api_usage_warning_percent, 95);
        assert_eq!(config.login_url, "https://acme.my.salesforce.com");
        assert_eq!(config.api_version, "v62.0");
        assert_eq!(config.username.as_deref(), Some("integration@acme.com"));
        assert!(matches!(config.credentials, CredentialsSource::Inline(_)));
    }

    #[test]
    fn credentials_source_is_required_and_unique() {
        let error = config(&[]).unwrap_err();
        assert!(error.to_string().contains(CREDENTIALS_PARAMETER), "{error}");
        let error = config(&[(CREDENTIALS_PARAMETER, "/p"), (CREDENTIALS, "{}")]).unwrap_err();
        assert!(error.to_string().contains("not both"), "{error}");
    }

    #[test]
    fn malformed_values_name_the_variable() {
        for (variable, value) in [
            (LOGIN_URL, "login.salesforce.com"),
            (LOGIN_URL, "http://login.salesforce.com"),
            (LOGIN_URL, "https://"),
            (
                LOGIN_URL,
                "https://login.salesforce.com/services/oauth2/token",
            ),
            (API_VERSION, "66"),
            (API_VERSION, "v66.1"),
            (API_VERSION, "latest"),
            (METRICS_NAMESPACE, "AWS/Lambda"),
            (METRICS_NAMESPACE, "Salesforce*Connect"),
            (METRICS_NAMESPACE, "Sálesforce"),
            (API_USAGE_WARNING_PERCENT, "0"),
            (API_USAGE_WARNING_PERCENT, "101"),
            (API_USAGE_WARNING_PERCENT, "80%"),
            (API_USAGE_WARNING_PERCENT, "-5"),
            (API_USAGE_WARNING_PERCENT, "79.5"),
        ] {
            let error = config(&[(CREDENTIALS_PARAMETER, "/p"), (variable, value)]).unwrap_err();
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("invalid configuration `{variable}`")),
                "{error}"
            );
        }
    }

    #[test]
    fn token_cache_parameter_is_a_writable_parameter_of_its_own() {
        let config = config(&[
            (CREDENTIALS_PARAMETER, "/sf/credentials"),
            (TOKEN_CACHE_PARAMETER, " /sf/token "),
        ])
        .unwrap();
        assert_eq!(config.token_cache_parameter.as_deref(), Some("/sf/token"));
        for bad in [
            "/sf/credentials",
            "/aws/reference/secretsmanager/token",
            "awsToken",
            "/SSM/token",
            "/",
            "/sf/token?x",
            "/sf/to ken",
        ] {
            let error = config_error(bad);
            assert!(
                error.starts_with(&format!("invalid configuration `{TOKEN_CACHE_PARAMETER}`")),
                "{bad}: {error}"
            );
        }
    }

    fn config_error(token_cache_parameter: &str) -> String {
        config(&[
            (CREDENTIALS_PARAMETER, "/sf/credentials"),
            (TOKEN_CACHE_PARAMETER, token_cache_parameter),
        ])
        .unwrap_err()
        .to_string()
    }

    #[test]
    fn jwt_audience_is_an_absolute_url() {
        let audience = |value: &str| {
            config(&[(CREDENTIALS_PARAMETER, "/p"), (JWT_AUDIENCE, value)])
                .map(|config| config.jwt_audience)
        };
        assert_eq!(
            config(&[(CREDENTIALS_PARAMETER, "/p")])
                .unwrap()
                .jwt_audience,
            None
        );
        for (value, expected) in [
            (
                " https://test.salesforce.com/ ",
                "https://test.salesforce.com",
            ),
            (
                "https://acme.my.site.com/support",
                "https://acme.my.site.com/support",
            ),
            ("http://127.0.0.1:8800", "http://127.0.0.1:8800"),
        ] {
            assert_eq!(
                audience(value).unwrap().as_deref(),
                Some(expected),
                "{value}"
            );
        }
        for bad in [
            "login.salesforce.com",
            "http://login.salesforce.com",
            "https://",
            "https://login.salesforce.com?x=1",
            "https://user@login.salesforce.com",
            "ftp://login.salesforce.com",
        ] {
            let error = audience(bad).unwrap_err().to_string();
            assert!(
                error.starts_with(&format!("invalid configuration `{JWT_AUDIENCE}`")),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            assert_eq!(
                config(&[(CREDENTIALS_PARAMETER, "/p"), (LOGIN_URL, url)])
                    .unwrap()
                    .login_url,
                url
            );
        }
    }

    #[test]
    fn debug_never_shows_inline_credentials() {
        let config = config(&[(CREDENTIALS, r#"{"Password":"hunter2"}"#)]).unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
    }
}
