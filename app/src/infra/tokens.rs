//! Random tokens for session cookies and single-use links. Only a keyed hash is stored, so
//! neither a database dump nor a backup yields a usable link or session.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// 32 random bytes from the operating system, URL-safe.
pub fn generate() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// HMAC-SHA256 of the token under the site's secret key, hex-encoded (64 characters).
pub fn hash(secret: &[u8], token: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail; fall back to an unkeyed hash
    // rather than panic should that ever change.
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(token.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => {
            use sha2::Digest;
            hex::encode(Sha256::digest(token.as_bytes()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_url_safe() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }

    #[test]
    fn hashes_depend_on_the_key() {
        let t = generate();
        assert_eq!(hash(b"k1", &t), hash(b"k1", &t));
        assert_ne!(hash(b"k1", &t), hash(b"k2", &t));
        assert_eq!(hash(b"k1", &t).len(), 64);
    }
}
