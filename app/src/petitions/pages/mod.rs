//! Petition pages: what a petition needs in this municipality, and the staff page with the
//! municipality's legal figures.

mod municipality;
mod overview;

pub use municipality::MunicipalityPage;
pub use overview::PetitionsPage;
