//! The bottom layer: small pure helpers that every stage may use.
//!
//! Nothing here imports anything from the rest of the crate (a helper that
//! two stages need lives here rather than in the stage that used it
//! first, so that dependencies only point down; see DESIGN.md, Layers).
//! Each module holds one kind of helper:
//! - [`url`]: percent encoding, request paths, hosts of URLs;
//! - [`slug`]: slugs made from text and from file names, content paths;
//! - [`html`]: escaping text for HTML and decoding character references;
//! - [`hash_serialized`]: a hash of a value as serde (and so a template)
//!   sees it;
//! - [`rename_keys`]: site-chosen names for struct keys while deserialising;
//! - [`yaml_locator`]: where a key or value sits in a YAML text, for errors
//!   found after deserialising.

pub(crate) mod hash_serialized;
pub(crate) mod html;
pub(crate) mod rename_keys;
pub(crate) mod slug;
pub(crate) mod url;
pub(crate) mod yaml_locator;
