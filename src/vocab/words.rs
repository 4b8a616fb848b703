//! The enumerated values of the language: the words a spec writes for a field such as
//! `kind` or `recruit`, and what each means. One table per field, read by lowering (to
//! parse them), by the rule engine (to show and compare them) and by the docs.

/// A field whose value is one of a fixed set of words.
pub trait Words: Copy + PartialEq + 'static {
    /// Every word and the value it stands for, in the order the docs list them.
    const WORDS: &'static [(&'static str, Self)];

    /// The word for this value, if it has one.
    fn word(self) -> Option<&'static str> {
        Self::WORDS
            .iter()
            .find(|(_, v)| *v == self)
            .map(|(w, _)| *w)
    }

    /// The value a word stands for.
    fn from_word(word: &str) -> Option<Self> {
        Self::WORDS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, v)| *v)
    }
}

/// The words of one enumerated field, in order.
fn words_of<T: Words>() -> Vec<&'static str> {
    T::WORDS.iter().map(|(w, _)| *w).collect()
}

/// The enumerated field whose words include every one of `words` (the words a rule
/// parameter's default is made of): what the parameter may hold.
pub fn table_with(words: &[&str]) -> Option<Vec<&'static str>> {
    if words.is_empty() {
        return None;
    }
    [
        words_of::<OrgKind>(),
        words_of::<Transfer>(),
        words_of::<Route>(),
        words_of::<Reason>(),
        words_of::<Outcome>(),
        words_of::<ServiceKind>(),
        words_of::<ServiceLevel>(),
        words_of::<AgreementKind>(),
        words_of::<EventKind>(),
        words_of::<Consultee>(),
        words_of::<SpecStatus>(),
    ]
    .into_iter()
    .find(|table| words.iter().all(|w| table.contains(w)))
}

macro_rules! words {
    ($(#[$doc:meta])* $ty:ident { $($word:literal => $variant:ident),* $(,)? } $($(#[$xdoc:meta])* $extra:ident),*) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $ty {
            $($variant,)*
            $($(#[$xdoc])* $extra,)*
        }

        impl Words for $ty {
            const WORDS: &'static [(&'static str, $ty)] = &[$(($word, $ty::$variant)),*];
        }
    };
}

words!(
    /// What kind of body an `org` is.
    OrgKind {
        "council" => Council,
        "nhs" => Nhs,
        "company" => Company,
        "voluntary" => Voluntary,
        "school" => School,
        "police" => Police,
        "scale" => Scale,
        "other" => Other,
    }
);

words!(
    /// The basis on which a post's holders change employer (`transfer`).
    Transfer {
        "tupe" => Tupe,
        "scheme" => Scheme,
        "secondment" => Secondment,
    }
);

words!(
    /// A route to fill a new post (`recruit`).
    Route {
        "ringfence" => Ringfence,
        "internal" => Internal,
        "external" => External,
        "secondment" => Secondment,
        "hold_vacant" => HoldVacant,
        "redeployment" => Redeployment,
    }
);

words!(
    /// Why a post is deleted, or what becomes of its holders (`reason`): the holder
    /// retires, the post is vacant, the holder is slotted in elsewhere, redeployed, takes
    /// voluntary redundancy or early retirement, or is made compulsorily redundant. A
    /// reason may also be given in words.
    Reason {
        "retired" => Retired,
        "vacant" => Vacant,
        "slotted" => Slotted,
        "redeployment" => Redeployment,
        "vr" => Vr,
        "er" => Er,
        "redundancy" => Redundancy,
    }
);

words!(
    /// Where a pool's displaced candidates go, besides other posts (`fallback`).
    Outcome {
        "redeployment" => Redeployment,
        "vr" => Vr,
        "er" => Er,
        "redundancy" => Redundancy,
    }
);

words!(
    /// How a service is delivered across localities.
    ServiceKind {
        "core" => Core,
        "extended" => Extended,
        "citywide" => Citywide,
        "hosted" => Hosted,
    }
);

words!(
    /// Who a service is for.
    ServiceLevel {
        "universal" => Universal,
        "targeted" => Targeted,
        "specialist" => Specialist,
    }
);

words!(
    /// The legal form of an agreement between bodies.
    AgreementKind {
        "s113" => S113,
        "s75" => S75,
        "partnership" => Partnership,
        "secondment" => Secondment,
        "other" => Other,
    }
);

words!(
    /// The kinds of timeline entry, each with its meaning for the rules.
    EventKind {
        "published" => Published,
        "consultation" => Consultation,
        "hr1" => Hr1,
        "decision" => Decision,
        "notices" => Notices,
        "dismissals" => Dismissals,
        "effective" => Effective,
        "phase" => Phase,
        "event" => Event,
    }
);

words!(
    /// Who a consultation consults (`consultation … with unions, staff`): recognised
    /// unions, elected employee representatives, the staff themselves, partner bodies, the
    /// public. Only unions or elected representatives are consulted collectively (TULRCA
    /// 1992 s188(1B)).
    Consultee {
        "unions" => Unions,
        "elected_reps" => ElectedReps,
        "staff" => Staff,
        "partners" => Partners,
        "public" => Public,
    }
);

words!(
    /// How far the paper has come.
    SpecStatus {
        "draft" => Draft,
        "consultation" => Consultation,
        "response" => Response,
        "agreed" => Agreed,
    }
);
