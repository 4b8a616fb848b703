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

    pub(super) fn resolve_org_atom(&mut self, a: &Atom, what: &str) -> Option<OrgIx> {
        self.reference(a, &[Namespace::Org], &format!("`{what}`"))
            .map(|(_, i)| OrgIx(i))
    }

    pub(super) fn post_ref(&mut self, a: &Atom, what: &str) -> Option<PostIx> {
        self.reference(a, &[Namespace::Post], what)
            .map(|(_, i)| PostIx(i))
    }
}
