//! Rate limits for the doors attackers knock on: login (per account and per address),
//! registration, password reset, the second factor, signing, posting, barrier feedback,
//! and mail to one address. The counters live in the database (one row per bucket and subject, generic cell
//! rate algorithm), so several instances on one PostgreSQL share them, and SQLite works the
//! same. A counter's name is a keyed hash: neither addresses nor accounts are stored.

use std::net::IpAddr;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, Statement,
    Value,
};

use crate::error::AppError;
use crate::infra::entities::rate_limit;
use crate::infra::keys::{self, Purpose};

/// What is limited. Each bucket counts on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Wrong passwords for one account (only failures count).
    LoginAccount,
    /// Wrong second-factor codes for one account (only failures count).
    Code,
    /// Login attempts (passwords and codes) from one address.
    LoginAddress,
    /// Registrations from one address.
    Register,
    /// Password-reset requests from one address.
    Reset,
    /// Online signatures from one address.
    Sign,
    /// Comments and proposals of one account.
    Post,
    /// Mails to one recipient address (confirmation resend, reset, address change).
    Mail,
    /// Reports of barriers from one address (no account needed).
    Feedback,
}

impl Bucket {
    fn name(self) -> &'static str {
        match self {
            Bucket::LoginAccount => "login-account",
            Bucket::Code => "code",
            Bucket::LoginAddress => "login-address",
            Bucket::Register => "register",
            Bucket::Reset => "reset",
            Bucket::Sign => "sign",
            Bucket::Post => "post",
            Bucket::Mail => "mail",
            Bucket::Feedback => "feedback",
        }
    }
}

/// Who is limited: a client address (IPv6 grouped by /64, where one household's devices
/// live) or an account / recipient (logged only as a hash).
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Address(IpAddr),
    Account(&'a str),
}

impl Subject<'_> {
    fn key_text(&self) -> String {
        match self {
            Subject::Address(ip) => address_key(*ip),
            Subject::Account(a) => format!("account:{}", a.to_lowercase()),
        }
    }
}

/// The address as a limit sees it: IPv4 whole, IPv6 by its /64 prefix.
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("ip:{v4}"),
            None => {
                let s = v6.segments();
                format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// How many at once (`burst`), then one more every `every_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rule {
    burst: i64,
    every_ms: i64,
}

/// Attempts one client address may make at once before it has to wait (20 s per further
/// attempt). A town hall whose residents share one address may raise it.
pub const DEFAULT_PER_IP_BURST: u32 = 30;

pub struct RateLimits {
    per_ip_burst: u32,
    key: [u8; 32],
    public_reads: PublicReads,
}

impl RateLimits {
    pub fn new(per_ip_burst: u32, secret: &[u8]) -> Self {
        Self {
            per_ip_burst: per_ip_burst.max(1),
            key: keys::subkey(secret, Purpose::RateLimits),
            public_reads: PublicReads::new(DEFAULT_PUBLIC_READS_PER_MINUTE),
        }
    }

    /// With another limit for the public read endpoints (0: none).
    pub fn with_public_reads(mut self, per_minute: u32) -> Self {
        self.public_reads = PublicReads::new(per_minute);
        self
    }

    pub fn public_reads(&self) -> &PublicReads {
        &self.public_reads
    }

    fn rule(&self, bucket: Bucket) -> Rule {
        let per_ip = Rule {
            burst: i64::from(self.per_ip_burst),
            every_ms: 20_000,
        };
        match bucket {
            // Five wrong passwords in a row, then one try a minute.
            Bucket::LoginAccount => Rule {
                burst: 5,
                every_ms: 60_000,
            },
            // Ten wrong codes (two attempts of five), then one a minute: with 3 of 10^6
            // codes valid at a time, guessing would take centuries.
            Bucket::Code => Rule {
                burst: 10,
                every_ms: 60_000,
            },
            Bucket::LoginAddress | Bucket::Register | Bucket::Reset | Bucket::Sign => per_ip,
            Bucket::Post => Rule {
                burst: 20,
                every_ms: 30_000,
            },
            // Five reports, then one per 10 minutes: enough for a person with several
            // barriers to name, too few to flood the queue.
            Bucket::Feedback => Rule {
                burst: 5,
                every_ms: 600_000,
            },
            // Three mails, then one per 10 minutes.
            Bucket::Mail => Rule {
                burst: 3,
                every_ms: 600_000,
            },
        }
    }

    fn row_key(&self, bucket: Bucket, subject: &Subject) -> String {
        hex::encode(keys::mac(
            &self.key,
            &[bucket.name().as_bytes(), subject.key_text().as_bytes()],
        ))
    }

    /// Takes one attempt from the bucket; `false` when none is left. Atomic on both
    /// databases (one upsert), so concurrent instances never hand out more than the limit.
    pub async fn allow<C: ConnectionTrait>(
        &self,
        db: &C,
        bucket: Bucket,
        subject: Subject<'_>,
    ) -> Result<bool, DbErr> {
        let rule = self.rule(bucket);
        let now = Utc::now().timestamp_millis();
        let backend = db.get_database_backend();
        let p = |i: usize| match backend {
            DatabaseBackend::Postgres => format!("${i}"),
            _ => format!("?{i}"),
        };
        // tat' = max(tat, now) + T, accepted while tat' - now <= burst * T.
        let next = format!(
            "(CASE WHEN rate_limits.tat > {now} THEN rate_limits.tat ELSE {now} END + {t})",
            now = p(3),
            t = p(4)
        );
        let sql = format!(
            "INSERT INTO rate_limits (bucket_key, tat) VALUES ({k}, {first}) \
             ON CONFLICT (bucket_key) DO UPDATE SET tat = {next} \
             WHERE {next} - {now} <= {limit} RETURNING tat",
            k = p(1),
            first = p(2),
            now = p(3),
            limit = p(5),
        );
        let values: Vec<Value> = vec![
            self.row_key(bucket, &subject).into(),
            (now + rule.every_ms).into(),
            now.into(),
            rule.every_ms.into(),
            (rule.burst * rule.every_ms).into(),
        ];
        let row = db
            .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        Ok(row.is_some())
    }

    /// Whether an attempt would be allowed now, without taking one (for buckets that count
    /// only failures).
    pub async fn peek<C: ConnectionTrait>(
        &self,
        db: &C,
        bucket: Bucket,
        subject: Subject<'_>,
    ) -> Result<bool, DbErr> {
        let rule = self.rule(bucket);
        let now = Utc::now().timestamp_millis();
        let row = rate_limit::Entity::find_by_id(self.row_key(bucket, &subject))
            .one(db)
            .await?;
        Ok(row.is_none_or(|r| r.tat.max(now) + rule.every_ms - now <= rule.burst * rule.every_ms))
    }

    /// `allow`, as an error the caller passes on (429), logged at `warn`.
    pub async fn check<C: ConnectionTrait>(
        &self,
        db: &C,
        bucket: Bucket,
        subject: Subject<'_>,
    ) -> Result<(), AppError> {
        let allowed = self.allow(db, bucket, subject).await?;
        self.verdict(allowed, bucket, &subject)
    }

    /// `peek`, as an error the caller passes on (429), logged at `warn`.
    pub async fn check_failures<C: ConnectionTrait>(
        &self,
        db: &C,
        bucket: Bucket,
        subject: Subject<'_>,
    ) -> Result<(), AppError> {
        let allowed = self.peek(db, bucket, subject).await?;
        self.verdict(allowed, bucket, &subject)
    }

    /// A refusal is logged: the address as the limit groups it, an account only as a hash.
    fn verdict(&self, allowed: bool, bucket: Bucket, subject: &Subject) -> Result<(), AppError> {
        if allowed {
            return Ok(());
        }
        match subject {
            Subject::Address(ip) => {
                tracing::warn!(bucket = bucket.name(), address = %address_key(*ip), "rate limit reached")
            }
            Subject::Account(_) => {
                tracing::warn!(bucket = bucket.name(), account = %self.account_tag(subject), "rate limit reached")
            }
        }
        Err(AppError::RateLimited)
    }

    /// A short keyed hash that names an account in the log without naming the person.
    pub fn account_tag(&self, subject: &Subject) -> String {
        self.row_key(Bucket::LoginAccount, subject)[..12].to_owned()
    }
}

/// Forgets counters that have fully recovered (their time lies in the past).
/// Requests per minute one address may make to the public machine endpoints (OParl, the
/// calendars, the tally JSON, the proposals feed), after a burst of as many: a client that
/// syncs a whole OParl body page by page stays below it, one that hammers does not.
pub const DEFAULT_PUBLIC_READS_PER_MINUTE: u32 = 600;

/// The limit on the public read endpoints. Counted in this instance's memory, not in the
/// database: a database write per read would cost more than most of the reads, and a
/// client that spreads its requests over several instances gets that many times the limit,
/// which still stops a flood.
pub struct PublicReads {
    limiter: Option<governor::DefaultKeyedRateLimiter<String>>,
}

impl PublicReads {
    pub fn new(per_minute: u32) -> Self {
        let limiter = std::num::NonZeroU32::new(per_minute)
            .map(|n| governor::RateLimiter::keyed(governor::Quota::per_minute(n)));
        Self { limiter }
    }

    /// One request of this address; `Err(seconds)` to wait when its limit is used up.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        use governor::clock::{Clock, DefaultClock};
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        limiter.check_key(&address_key(ip)).map_err(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }

    /// Forgets addresses whose counters are full again (housekeeping keeps memory flat).
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

pub async fn purge<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    let now = Utc::now().timestamp_millis();
    Ok(rate_limit::Entity::delete_many()
        .filter(rate_limit::Column::Tat.lt(now))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_of_one_household_share_a_limit() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        assert_eq!(address_key(a), "ip:2001:db8:1:2::/64");
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(v4), "ip:192.0.2.7");
        assert_eq!(address_key(mapped), address_key(v4));
        assert_ne!(address_key(v4), address_key("192.0.2.8".parse().unwrap()));
    }

    #[test]
    fn public_reads_are_counted_per_address_and_household() {
        let reads = PublicReads::new(3);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_household: IpAddr = "2001:db8:1:2::99".parse().unwrap();
        let other: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(reads.check(a), Ok(()));
        }
        // A minute for three: the next one in about 20 seconds.
        let wait = reads.check(same_household).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert_eq!(reads.check(other), Ok(()));
        // Switched off: no limit.
        let off = PublicReads::new(0);
        assert!((0..1_000).all(|_| off.check(a).is_ok()));
    }

    #[test]
    fn counter_names_hide_the_subject() {
        let limits = RateLimits::new(30, &[7u8; 32]);
        let key = limits.row_key(Bucket::LoginAccount, &Subject::Account("anna@example.org"));
        assert_eq!(key.len(), 64);
        assert!(!key.contains("anna"));
        // Case does not make a second counter; buckets do.
        assert_eq!(
            key,
            limits.row_key(Bucket::LoginAccount, &Subject::Account("Anna@Example.org"))
        );
        assert_ne!(
            key,
            limits.row_key(Bucket::Mail, &Subject::Account("anna@example.org"))
        );
    }
}
