//! The access tokens the token endpoint has issued: each is valid until its
//! lifetime runs out or the fault epoch moves on (the "expire every token" fault),
//! and every data request is checked against this list.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, Instant};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

struct Issued {
    expires: Instant,
    epoch: u64,
}

/// The access tokens issued so far.
#[derive(Default)]
pub struct Tokens {
    issued: HashMap<String, Issued>,
}

impl Tokens {
    /// A new token, valid for `lifetime` or until the fault epoch moves on.
    pub fn issue(&mut self, organization_id: &str, lifetime: Duration, epoch: u64) -> String {
        // Salesforce tokens are the org id's first 15 characters, '!', then an
        // opaque part; clients sometimes log the prefix, never the rest.
        let token = format!("{}!AR{}", &organization_id[..15], random_text(96));
        self.issued.insert(
            token.clone(),
            Issued {
                expires: Instant::now() + lifetime,
                epoch,
            },
        );
        token
    }

    /// Every token issued so far, expired ones included.
    pub fn all(&self) -> Vec<String> {
        self.issued.keys().cloned().collect()
    }

    pub fn is_valid(&self, token: &str, epoch: u64) -> bool {
        self.issued
            .get(token)
            .is_some_and(|t| t.epoch == epoch && Instant::now() < t.expires)
    }
}

/// Unpredictable text: std's hasher is seeded randomly per `RandomState`, which is
/// plenty for a sandbox and needs no extra dependency.
fn random_text(length: usize) -> String {
    let mut text = String::with_capacity(length);
    let mut counter = 0u64;
    while text.len() < length {
        let mut bits = RandomState::new().hash_one(counter);
        counter += 1;
        for _ in 0..10 {
            text.push(ALPHABET[(bits % 62) as usize] as char);
            bits /= 62;
        }
    }
    text.truncate(length);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire_with_time_and_with_the_epoch() {
        let mut tokens = Tokens::default();
        let org = "00D8V0000000001UAA";
        let live = tokens.issue(org, Duration::from_secs(60), 0);
        let dead = tokens.issue(org, Duration::ZERO, 0);
        assert!(live.starts_with("00D8V0000000001!AR"));
        assert!(tokens.is_valid(&live, 0));
        assert!(!tokens.is_valid(&dead, 0));
        assert!(!tokens.is_valid(&live, 1));
        assert!(!tokens.is_valid("00D8V0000000001!ARnope", 0));
        assert_ne!(live, dead);
    }
}
