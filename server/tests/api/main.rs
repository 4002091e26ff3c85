//! HTTP tests: the real router on port 0, each test on its own fresh database — once on
//! SQLite and once on PostgreSQL (127.0.0.1:5432, or `TEST_POSTGRES_URL`).

// A failed setup step should stop the test right there, with the panic as its report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod accessibility;
mod accounts;
mod admin;
mod boards;
mod comments;
mod hostile;
mod languages;
mod municipality;
mod namesakes;
mod oparl;
mod outbox;
mod petitions;
mod platform;
mod proposals;
mod register;
mod reports;
mod sessions;
mod trust;
mod two_factor;
mod validation;
