//! argon2id hashing, off the async runtime (a hash takes tens of milliseconds of CPU and
//! 19 MiB of memory), and the strength check of new passwords.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, password_hash::rand_core::OsRng};
use tokio::sync::Semaphore;
use zxcvbn::{Score, feedback::Warning, zxcvbn};

use crate::error::AppError;

/// At most two hashes at once per core: a flood of logins queues here instead of taking
/// every core and all memory from the pages.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Semaphore::new(cores * 2)
});

async fn hashing_slot() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    HASHING.acquire().await.map_err(|_| AppError::Internal)
}

pub async fn hash(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    let _slot = hashing_slot().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// Verifies a password. With no stored hash (unknown or deleted account) a dummy hash is
/// checked, so that the answer takes as long as for a real account.
pub async fn verify(stored: Option<String>, password: &str) -> Result<bool, AppError> {
    let password = password.to_owned();
    let _slot = hashing_slot().await?;
    tokio::task::spawn_blocking(move || {
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            tracing::error!("a stored password hash cannot be parsed");
            return false;
        };
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && real
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password verification task failed");
        AppError::Internal
    })
}

/// argon2id hash of a random string nobody knows, with the default parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$tGZ1hP0mJxF+d1XUG3JBC+KhE0Zk2t5eZ1mAKm1Kx8k";

/// Why a new password is too easy to guess, in German, or `None` when it is strong enough
/// (zxcvbn score 3 of 4: more than 10^8 guesses). `context` holds words an attacker tries
/// first — the municipality's name, "dorfplatz", the person's name and address.
pub fn weakness(password: &str, context: &[&str]) -> Option<String> {
    let mut words: Vec<&str> = context
        .iter()
        .map(|w| w.trim())
        .filter(|w| w.chars().count() >= 3)
        .collect();
    words.push("dorfplatz");
    let estimate = zxcvbn(password, &words);
    if estimate.score() >= Score::Three {
        return None;
    }
    let lower = password.to_lowercase();
    let why = if let Some(word) = words.iter().find(|w| lower.contains(&w.to_lowercase())) {
        format!("Es enthält „{word}“, ein Wort, das man bei dieser Website zuerst probiert.")
    } else {
        match estimate.feedback().and_then(|f| f.warning()) {
            Some(
                Warning::ThisIsATop10Password
                | Warning::ThisIsATop100Password
                | Warning::ThisIsACommonPassword,
            ) => "Es gehört zu den häufigsten Passwörtern.".to_owned(),
            Some(Warning::ThisIsSimilarToACommonlyUsedPassword) => {
                "Es ähnelt einem sehr häufigen Passwort.".to_owned()
            }
            Some(
                Warning::StraightRowsOfKeysAreEasyToGuess
                | Warning::ShortKeyboardPatternsAreEasyToGuess,
            ) => "Es folgt einem Muster auf der Tastatur.".to_owned(),
            Some(
                Warning::RepeatsLikeAaaAreEasyToGuess
                | Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
            ) => "Es besteht aus Wiederholungen.".to_owned(),
            Some(Warning::SequencesLikeAbcAreEasyToGuess) => {
                "Es enthält eine Folge wie „abc“ oder „1234“.".to_owned()
            }
            Some(Warning::RecentYearsAreEasyToGuess | Warning::DatesAreOftenEasyToGuess) => {
                "Es enthält ein Datum oder eine Jahreszahl.".to_owned()
            }
            Some(Warning::AWordByItselfIsEasyToGuess) => {
                "Ein einzelnes Wort ist leicht zu erraten.".to_owned()
            }
            Some(
                Warning::NamesAndSurnamesByThemselvesAreEasyToGuess
                | Warning::CommonNamesAndSurnamesAreEasyToGuess,
            ) => "Namen sind leicht zu erraten.".to_owned(),
            _ => "Es ist zu leicht zu erraten.".to_owned(),
        }
    };
    Some(format!(
        "Dieses Passwort ist zu schwach. {why} Nehmen Sie besser mehrere Wörter, die nicht zusammengehören."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_named_with_their_reason() {
        let kalletal = ["Kalletal"];
        for (password, reason) in [
            ("passwort1234", None),
            ("kalletal2026", Some("„Kalletal“")),
            ("Dorfplatz!2026", Some("„dorfplatz“")),
            ("qwertzuiop", None),
            ("aaaaaaaaaaaa", Some("Wiederholungen")),
            ("123456789012", None),
        ] {
            let why = weakness(password, &kalletal)
                .unwrap_or_else(|| panic!("{password} should count as weak"));
            assert!(why.starts_with("Dieses Passwort ist zu schwach."), "{why}");
            if let Some(reason) = reason {
                assert!(why.contains(reason), "{password}: {why}");
            }
        }
        for strong in [
            "sicheres-passwort",
            "Lindenblüte Traktor Nebel",
            "korrekt-pferd-batterie-heftklammer",
        ] {
            assert_eq!(weakness(strong, &kalletal), None, "{strong}");
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("richtig-richtig").await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(Some(h.clone()), "richtig-richtig").await.unwrap());
        assert!(!verify(Some(h), "falsch-falsch").await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify(None, "irgendwas-irgendwas").await.unwrap());
    }
}
