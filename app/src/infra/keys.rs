//! Sub-keys of the site's secret key, one per purpose (HKDF-SHA256, RFC 5869): a key that
//! leaks from one use (a rate-limit counter's name, say) says nothing about another (the
//! one-time password secrets). Tokens and sessions keep the secret key itself, as before,
//! so that links and sessions issued before this change stay valid.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// What a sub-key is for. The label is part of the derivation: never change one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Secrets of the one-time passwords (second factor).
    TotpSecrets,
    /// Recovery codes of the second factor, and their stored hashes.
    RecoveryCodes,
    /// Names of rate-limit counters (addresses and accounts are never stored plainly).
    RateLimits,
    /// Login attempts waiting for their code.
    LoginChallenges,
    /// What a visitor typed into a form that came back with an error (`form_return`).
    FormReturn,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::TotpSecrets => b"dorfplatz totp secrets v1",
            Purpose::RecoveryCodes => b"dorfplatz recovery codes v1",
            Purpose::RateLimits => b"dorfplatz rate limits v1",
            Purpose::LoginChallenges => b"dorfplatz login challenges v1",
            Purpose::FormReturn => b"dorfplatz form return v1",
        }
    }
}

/// The 32-byte sub-key of `secret` for `purpose`.
pub fn subkey(secret: &[u8], purpose: Purpose) -> [u8; 32] {
    let mut out = [0u8; 32];
    // 32 bytes are far below HKDF-SHA256's limit of 255 × 32, so expand cannot fail.
    let _ = Hkdf::<Sha256>::new(None, secret).expand(purpose.label(), &mut out);
    out
}

/// HMAC-SHA256 of `parts` (length-prefixed, so ("ab","c") and ("a","bc") differ).
pub fn mac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut m = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        // HMAC takes keys of any length.
        Err(_) => return [0u8; 32],
    };
    for part in parts {
        m.update(&(part.len() as u64).to_be_bytes());
        m.update(part);
    }
    m.finalize().into_bytes().into()
}

/// `mac` under the sub-key of `purpose`, hex-encoded (64 characters).
pub fn keyed_hex(secret: &[u8], purpose: Purpose, parts: &[&[u8]]) -> String {
    hex::encode(mac(&subkey(secret, purpose), parts))
}

/// Constant-time equality of two secrets (a length difference is not hidden, only content).
pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hkdf_matches_rfc_5869_test_case_3() {
        // RFC 5869, A.3: SHA-256, no salt, no info.
        let ikm = [0x0bu8; 22];
        let mut okm = [0u8; 42];
        Hkdf::<Sha256>::new(None, &ikm)
            .expand(&[], &mut okm)
            .unwrap();
        assert_eq!(
            hex::encode(okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d\
             9d201395faa4b61a96c8"
        );
    }

    #[test]
    fn each_purpose_has_its_own_key() {
        let secret = [7u8; 32];
        let keys = [
            Purpose::TotpSecrets,
            Purpose::RecoveryCodes,
            Purpose::RateLimits,
            Purpose::LoginChallenges,
            Purpose::FormReturn,
        ]
        .map(|p| subkey(&secret, p));
        for (i, a) in keys.iter().enumerate() {
            assert_ne!(a.as_slice(), secret.as_slice());
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_ne!(
            subkey(&[8u8; 32], Purpose::TotpSecrets),
            subkey(&secret, Purpose::TotpSecrets)
        );
    }

    #[test]
    fn parts_are_length_prefixed() {
        assert_ne!(mac(b"k", &[b"ab", b"c"]), mac(b"k", &[b"a", b"bc"]));
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"ab"));
    }
}
