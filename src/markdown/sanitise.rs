//! Markdown (safety): the sanitiser for raw HTML. The check of link and
//! image URLs and the script detector are in [`crate::util::html`].

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::util::html::SAFE_SCHEMES;

/// Remove from `html` everything that could run script or restyle the
/// page, keeping common formatting and the markup this module generates
/// (ids, classes such as `heading-anchor` and `hl-*`, ARIA attributes,
/// footnote roles). Links keep http(s), mailto, tel and relative URLs.
pub(crate) fn sanitise(html: &str) -> String {
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["section", "input"])
            .add_generic_attributes(["id", "class", "role", "aria-label", "aria-hidden"])
            .add_tag_attributes("pre", ["tabindex"])
            // A responsive image's (see `crate::images`); none can run
            // script.
            .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("ol", ["start", "reversed"])
            .add_tag_attributes("li", ["value"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .url_schemes(HashSet::from(SAFE_SCHEMES))
            .link_rel(None);
        b
    });
    CLEANER.clean(html).to_string()
}
