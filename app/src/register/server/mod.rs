//! The register's server side: importing the Melderegister, checking signatures against it,
//! the review of doubtful signatures, and a synthetic register for demos and benchmarks.

pub mod import;
pub mod review;
pub mod routes;
pub mod signature_check;
pub mod snapshot;
pub mod synthetic;
