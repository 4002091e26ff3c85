//! The petitions' server side: the procedure and its queries, online and paper signatures,
//! the paper list import and the municipality's figures.

pub mod documents;
pub mod export;
pub mod municipality;
pub mod paper_import;
pub mod procedure;
pub mod query;
pub mod routes;
pub mod sheets;
pub mod signatures;
pub mod tally;
