//! Names resolved to the items they name, in the namespaces a field expects: "unknown",
//! "of the wrong kind" and "did you mean" are reported here, and each use is recorded for
//! editors when asked.

use super::Lowerer;
use crate::decl::{OrgIx, PostIx};
use crate::diagnostic::Diagnostic;
use crate::resolve::names::with_suggestion;
use crate::syntax::ast::{Atom, AtomKind};
use crate::vocab::Namespace;

impl Lowerer<'_, '_> {
    /// Resolve a name in the namespaces `ns`, reporting unknown names and names of the
    /// wrong kind. `what` reads as "`reports_to`".
    pub(super) fn reference(
        &mut self,
        a: &Atom,
        ns: &[Namespace],
        what: &str,
    ) -> Option<(Namespace, u32)> {
        let expected = || {
            ns.iter()
                .map(|n| format!("{} {}", n.article(), n.noun()))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        if matches!(a.kind, AtomKind::Str) {
            if let Some((n, id, entry)) = self.titled(ns, a) {
                // a title where an id belongs: said once, and read as the item it names,
                // so that nothing else is reported because of it
                let title = self.text(a.span);
                self.push(
                    Diagnostic::error(
                        "type_mismatch",
                        a.span,
                        format!(
                            "{title} is the title of `{id}`; {what} names {} {} by its id",
                            n.article(),
                            n.noun()
                        ),
                    )
                    .with_label(format!("write `{id}`"))
                    .with_secondary(entry.span, format!("`{id}` is declared here"))
                    .with_help(format!(
                        "items are named by their ids, which do not change when a title does: write `{id}`"
                    ))
                    .with_fix(format!("write `{id}`"), a.span, id.clone()),
                );
                if let Some(index) = self.index.as_mut() {
                    index.references.push((a.span, n, entry.span));
                }
                return Some((n, entry.index));
            }
        }
        if !matches!(a.kind, AtomKind::Word) {
            self.push(self.kind_mismatch(a, &expected(), what));
            return None;
        }
        let name = self.text(a.span);
        for &n in ns {
            if let Some(e) = self.names.get(n, name) {
                if let Some(index) = self.index.as_mut() {
                    index.references.push((a.span, n, e.span));
                }
                return Some((n, e.index));
            }
        }
        if ns.iter().any(|&n| self.names.is_lost(n, name)) {
            // its item could not be read, and says so: nothing more to report here
            return None;
        }
        if let Some((other, entry)) = self.names.elsewhere(name, ns) {
            let expected = expected();
            self.push(
                Diagnostic::error(
                    "type_mismatch",
                    a.span,
                    format!(
                        "`{name}` is {} {}, but {what} needs {expected}",
                        other.article(),
                        other.noun()
                    ),
                )
                .with_label(format!("this is {} {}", other.article(), other.noun()))
                .with_secondary(
                    entry.span,
                    format!(
                        "`{name}` is declared here as {} {}",
                        other.article(),
                        other.noun()
                    ),
                )
                .with_help(format!("name {expected} here")),
            );
            return None;
        }
        let close = self.names.suggest(ns, name);
        let noun = ns.first().map_or("item", |n| n.noun());
        let mut d = Diagnostic::error("unknown_name", a.span, format!("unknown {noun} `{name}`"))
            .with_label(format!(
                "no {} is called `{name}`",
                ns.iter().map(|n| n.noun()).collect::<Vec<_>>().join(" or ")
            ));
        d = with_suggestion(d, &close, a.span, || {
            format!("declare it, e.g. `{noun} {name} …`, or check the spelling")
        });
        self.push(d);
        None
    }

    /// The one item of the namespaces `ns` whose title is the string `a` (ignoring case
    /// and spacing): its namespace, id and entry. Only looked for after a mistake, and in
    /// specs of a size where reading every title back is cheap.
    fn titled(
        &self,
        ns: &[Namespace],
        a: &Atom,
    ) -> Option<(Namespace, String, crate::resolve::names::Entry)> {
        const MOST_TITLES_READ: usize = 200_000;
        let wanted = normalise(self.text(a.span).trim_matches('"'));
        if wanted.is_empty()
            || ns.iter().map(|&n| self.names.len(n)).sum::<usize>() > MOST_TITLES_READ
        {
            return None;
        }
        let mut found = None;
        for &n in ns {
            for id in self.names.ids(n) {
                let Some(entry) = self.names.get(n, id) else {
                    continue;
                };
                let file = self.src.get(entry.span.file);
                let after = file.text[entry.span.end as usize..].trim_start_matches([' ', '\t']);
                let Some(title) = after.strip_prefix('"').and_then(|t| t.split_once('"')) else {
                    continue;
                };
                if normalise(title.0) == wanted {
                    if found.is_some() {
                        return None; // two items share the title: which is meant is not known
                    }
                    found = Some((n, id.to_string(), entry));
                }
            }
        }
        found
    }

    pub(super) fn resolve_org_atom(&mut self, a: &Atom, what: &str) -> Option<OrgIx> {
        self.reference(a, &[Namespace::Org], &format!("`{what}`"))
            .map(|(_, i)| OrgIx(i))
    }

    pub(super) fn post_ref(&mut self, a: &Atom, what: &str) -> Option<PostIx> {
        self.reference(a, &[Namespace::Post], what)
            .map(|(_, i)| PostIx(i))
    }
}

/// A title as compared: lower case, spacing collapsed.
fn normalise(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
