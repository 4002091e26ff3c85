//! Rate limits for the doors attackers knock on: login, registration and password reset.
//! Limits hold per client address and per account. They live in each instance's memory
//! (governor's GCRA): with N instances the effective limit is N times as high, which still
//! stops guessing at scale and needs no shared store.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

pub struct RateLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    login_per_account: DefaultKeyedRateLimiter<String>,
    mail_per_account: DefaultKeyedRateLimiter<String>,
}

fn quota(burst: u32, one_per: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(one_per)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

/// Attempts one client address may make at once before it has to wait (20 s per further
/// attempt). A town hall whose residents share one address may raise it.
pub const DEFAULT_PER_IP_BURST: u32 = 30;

impl Default for RateLimits {
    fn default() -> Self {
        Self::new(DEFAULT_PER_IP_BURST)
    }
}

impl RateLimits {
    pub fn new(per_ip_burst: u32) -> Self {
        Self {
            per_ip: RateLimiter::keyed(quota(per_ip_burst, Duration::from_secs(20))),
            // Five wrong passwords in a row, then one try a minute.
            login_per_account: RateLimiter::keyed(quota(5, Duration::from_secs(60))),
            // Mails to one address (reset, confirmation resend): three, then one per 10 min.
            mail_per_account: RateLimiter::keyed(quota(3, Duration::from_secs(600))),
        }
    }

    pub fn check_ip(&self, ip: IpAddr) -> Result<(), AppError> {
        self.per_ip
            .check_key(&ip)
            .map_err(|_| AppError::RateLimited)
    }

    pub fn check_login(&self, email: &str) -> Result<(), AppError> {
        self.login_per_account
            .check_key(&email.to_owned())
            .map_err(|_| AppError::RateLimited)
    }

    /// Whether another mail to this address may go out now. Callers that must not reveal
    /// whether an address exists skip the mail silently instead of failing.
    pub fn allow_mail(&self, email: &str) -> bool {
        self.mail_per_account.check_key(&email.to_owned()).is_ok()
    }

    /// Forgets keys whose limits have fully recovered, so memory does not grow.
    pub fn shrink(&self) {
        self.per_ip.retain_recent();
        self.login_per_account.retain_recent();
        self.mail_per_account.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_login_attempt_for_one_account_is_refused() {
        let limits = RateLimits::default();
        for _ in 0..5 {
            assert!(limits.check_login("anna@example.org").is_ok());
        }
        assert_eq!(
            limits.check_login("anna@example.org"),
            Err(AppError::RateLimited)
        );
        // Another account is not affected.
        assert!(limits.check_login("bernd@example.org").is_ok());
    }

    #[test]
    fn one_address_gets_thirty_attempts_then_waits() {
        let limits = RateLimits::default();
        let ip: IpAddr = [192, 0, 2, 1].into();
        for _ in 0..30 {
            assert!(limits.check_ip(ip).is_ok());
        }
        assert_eq!(limits.check_ip(ip), Err(AppError::RateLimited));
    }
}
