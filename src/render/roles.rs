//! Render: the pages of a role set.
//!
//! The overview of a role set is one of the site's pages (`roles.html`,
//! see [`overview_context`]); besides it each role set gives one page per
//! role (`role.html`, with links to the previous and next role) and the
//! print page with all roles (`roles_print.html`). The templates get the
//! assembled [`RoleSetView`] as `roleset`.

use tera::Context;

use super::Job;
use crate::site::Site;
use crate::site::roles::{RoleLink, RoleSetView};

/// What the overview page (`roles.html`) gets besides `page`.
pub(super) fn overview_context(site: &Site, set: usize, context: &mut Context) {
    context.insert("roleset", &site.role_sets[set]);
    context.insert("print", &false);
}

/// The page of role `i` of `set`, with links to the roles before and after it.
pub(super) fn role_job(site: &Site, set: &RoleSetView, i: usize) -> Job {
    let link = |i: usize| {
        set.roles.get(i).map(|r| RoleLink {
            id: r.id.clone(),
            title: r.title.clone(),
            url: r.url.clone(),
        })
    };
    let role = &set.roles[i];
    let mut context = Context::new();
    context.insert("roleset", set);
    context.insert("role", role);
    context.insert("prev", &i.checked_sub(1).and_then(link));
    context.insert("next", &link(i + 1));
    Job::new(
        site,
        "role.html",
        &role.url,
        context,
        format!("role `{}` of content/{}", role.id, set.source),
    )
}

/// The print page of `set`, all roles on one page.
pub(super) fn print_job(site: &Site, set: &RoleSetView) -> Job {
    let mut context = Context::new();
    context.insert("roleset", set);
    context.insert("print", &true);
    Job::new(
        site,
        "roles_print.html",
        &set.print_url,
        context,
        format!("the print page of content/{}", set.source),
    )
}
