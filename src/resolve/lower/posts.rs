//! Posts: a post's fields lowered into its state before and after the restructure. A post
//! whose fields do not change has one state, shared by both sides.

use super::fields::SetField;
use super::messages::plural;
use super::Lowerer;
use crate::decl::{Lifecycle, Post, PostState, StateIx};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{AtomKind, Item};

impl Lowerer<'_, '_> {
    pub(super) fn lower_post(&mut self, item: &Item, lifecycle: Lifecycle) {
        let id = Self::item_id(item);
        // between the quotes; where the id ends when there is none (or it is unreadable)
        let title_at = self.header_string(item).map_or(
            Span::new(id.file, id.end as usize, id.end as usize),
            |(s, _)| Span::new(s.file, s.start as usize + 1, s.end as usize - 1),
        );
        let wrote_title = item
            .header
            .as_ref()
            .and_then(|h| h.value.old.first())
            .is_some_and(|t| t.atoms.iter().any(|a| matches!(a.kind, AtomKind::Str)));
        if !wrote_title && item.header.is_some() {
            let at = item.header.as_ref().map_or(id, |h| h.span);
            self.push(
                Diagnostic::error("missing_field", at, format!("post `{}` has no title", self.text(id)))
                    .with_label("expected a title after the id")
                    .with_help(format!("write `post {} \"Head of Operations\"`: the title is what the paper calls the post", self.text(id))),
            );
        }
        let rows = PostState::FIELDS;
        let fields = self.fields(item, rows, PostState::ALIASES, "post");
        let has_transition = fields
            .iter()
            .any(|(f, ..)| f.value.as_ref().is_some_and(|v| v.new.is_some()));
        // A post whose fields do not change has one state, shared by both sides: build it
        // once (`before` below), and a second only for a continuing post that changes.
        let two_sides = has_transition && lifecycle == Lifecycle::Continuing;
        let mut before = PostState::default();
        let mut after = PostState::default();
        for (f, ix, alias) in fields {
            let row = &rows[ix];
            let old = f.value.as_ref().map(|v| &v.old[..]);
            match (f.value.as_ref().and_then(|v| v.new_side()), lifecycle) {
                (None, _) => {
                    let input = self.input(f, old, alias, row);
                    before.set(self, ix, input);
                    if two_sides {
                        before.copy_field(&mut after, ix);
                    }
                }
                (Some((_, new)), Lifecycle::Continuing) => {
                    let input = self.input(f, old, alias, row);
                    before.set(self, ix, input);
                    let input = self.input(f, Some(new), alias, row);
                    after.set(self, ix, input);
                }
                (Some((arrow, new)), Lifecycle::New) => {
                    self.push(
                        Diagnostic::error(
                            "invalid_value",
                            arrow,
                            format!("a new post has no old `{}` to change", row.name),
                        )
                        .with_label("a `new post` exists only after the restructure")
                        .with_help("write only the value after `->`"),
                    );
                    let input = self.input(f, Some(new), alias, row);
                    before.set(self, ix, input);
                }
                (Some((arrow, _)), Lifecycle::Deleted) => {
                    self.push(
                        Diagnostic::error(
                            "invalid_value",
                            arrow,
                            format!("a deleted post has no new `{}`", row.name),
                        )
                        .with_label("a `deleted post` exists only before the restructure")
                        .with_help("write only the value before `->`"),
                    );
                    let input = self.input(f, old, alias, row);
                    before.set(self, ix, input);
                }
            }
        }
        let side = |lowerer: &mut Self, state: PostState, when: &str| -> StateIx {
            lowerer.require(item, rows, PostState::ALIASES, (id, "post", when), |ix| {
                state.is_absent(ix)
            });
            lowerer.validate_state(&state);
            lowerer.decls.states.push(state)
        };
        let (b, a) = match lifecycle {
            Lifecycle::New => (None, Some(side(self, before, ""))),
            Lifecycle::Deleted => (Some(side(self, before, "")), None),
            Lifecycle::Continuing if !two_sides => {
                let s = side(self, before, "");
                (Some(s), Some(s))
            }
            Lifecycle::Continuing => {
                let b = side(self, before, " before the restructure");
                let a = side(self, after, " after the restructure");
                (Some(b), Some(a))
            }
        };
        self.decls.posts.push(Post {
            id,
            title_at,
            lifecycle,
            before: b,
            after: a,
            item: item.span,
            // past a lifecycle word and annotations, a few bytes in (at the item's start
            // were it ever further than two bytes can say)
            keyword_at: u16::try_from(item.kind.start.saturating_sub(item.span.start)).unwrap_or(0),
        });
    }

    /// Checks across the fields of one side of a post.
    fn validate_state(&mut self, s: &PostState) {
        let (Some(vacancies), Some(span)) = (
            s.details().vacancies().given(),
            s.details().vacancies().span(),
        ) else {
            return;
        };
        let count = s.count();
        if vacancies > count {
            self.push(
                Diagnostic::error(
                    "invalid_value",
                    span,
                    format!("{vacancies} vacancies among {count} post{}", plural(count)),
                )
                .with_label("more vacancies than posts")
                .with_help("`vacancies` counts the vacant posts among `count`"),
            );
        }
    }
}
