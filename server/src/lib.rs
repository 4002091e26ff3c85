//! The `dorfplatz` server: settings, the router, the command line.

pub mod cli;
pub mod demo;
pub mod serving;
pub mod settings;
pub mod startup;
/// The synthetic register lives with the demo that uses it; tests and benchmarks reach it here.
pub use app::register::server::synthetic;
