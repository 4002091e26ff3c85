//! The site frame: the municipality's name, who is signed in, the legal pages.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use serde::{Deserialize, Serialize};

use crate::accounts::Me;

/// What every page's frame needs, fetched in one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub municipality_name: String,
    pub me: Option<Me>,
}

/// The texts the administration edits (Markdown for the legal pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub municipality_name: String,
    pub impressum: String,
    pub privacy: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LegalPage {
    Impressum,
    Privacy,
}
