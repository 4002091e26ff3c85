//! The `dorfplatz` server: settings, the router, the command line.

pub mod cli;
pub mod settings;
pub mod startup;
pub mod synthetic;
