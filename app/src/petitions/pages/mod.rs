//! Petition pages. So far: the staff page with the municipality's legal figures.

mod municipality;

pub use municipality::MunicipalityPage;
