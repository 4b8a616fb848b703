//! The notations of council papers that orgspec writes another way: `18/09/2012`,
//! `18 September 2012`, `£109,626`, `2012-10-01 to 2012-11-30`, `£1,000 – £2,000`, `50%%`,
//! `50 %`, `x 2`. Each is recognised in a line of text and rewritten in orgspec's form, so
//! that an error can say the right form and an editor can apply it.
//!
//! Used by the parser's error messages and by lowering (a `18 September 2012` parses as
//! three atoms, so it is lowering that finds it).

use std::ops::Range;

/// One rewrite: the bytes `range` of the line are written `replacement` in orgspec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub range: Range<usize>,
    pub replacement: String,
    /// What was written, in words: "a date written day/month/year".
    pub what: &'static str,
}

/// What a line's notations say, together: the first rewrite's words, and the stretch of
/// the line from the first rewrite to the last, written in orgspec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    pub range: Range<usize>,
    pub written: String,
    pub replacement: String,
    pub what: &'static str,
    pub edits: Vec<Rewrite>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names (`September`, `Sept`, `sep`), 1-based.
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() <= 4 && m.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

/// The run of ASCII digits at `at`.
fn digits(s: &[u8], at: usize) -> usize {
    s[at.min(s.len())..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count()
}

fn at_word_start(s: &[u8], at: usize) -> bool {
    at == 0 || !(s[at - 1].is_ascii_alphanumeric() || s[at - 1] == b'_' || s[at - 1] == b'-')
}

fn at_word_end(s: &[u8], at: usize) -> bool {
    at >= s.len() || !(s[at].is_ascii_alphanumeric() || s[at] == b'_')
}

/// A word of letters at `at` (ASCII), and its length.
fn word_at(line: &str, at: usize) -> &str {
    let end = line[at..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .map_or(line.len(), |n| at + n);
    &line[at..end]
}

fn spaces(s: &[u8], at: usize) -> usize {
    s[at.min(s.len())..]
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count()
}

fn iso(year: u32, month: u32, day: Option<u32>) -> Option<String> {
    if !(1..=12).contains(&month) || !(1000..=9999).contains(&year) {
        return None;
    }
    Some(match day {
        Some(d) if (1..=31).contains(&d) => format!("{year:04}-{month:02}-{d:02}"),
        Some(_) => return None,
        None => format!("{year:04}-{month:02}"),
    })
}

/// A date at `at`: `18/09/2012`, `18.09.2012`, `18 September 2012`, `18th Sept 2012`,
/// `September 2012`. Returns its end and its ISO form.
fn date_at(line: &str, at: usize) -> Option<(usize, String)> {
    let bytes = line.as_bytes();
    if !at_word_start(bytes, at) {
        return None;
    }
    let day_len = digits(bytes, at);
    if (1..=2).contains(&day_len) {
        let day: u32 = line[at..at + day_len].parse().ok()?;
        let mut pos = at + day_len;
        // 18/09/2012, 18.09.2012
        if let Some(&sep) = bytes.get(pos).filter(|b| **b == b'/' || **b == b'.') {
            let month_len = digits(bytes, pos + 1);
            if (1..=2).contains(&month_len) && bytes.get(pos + 1 + month_len) == Some(&sep) {
                let month: u32 = line[pos + 1..pos + 1 + month_len].parse().ok()?;
                let year_len = digits(bytes, pos + 2 + month_len);
                if year_len == 4 && at_word_end(bytes, pos + 2 + month_len + year_len) {
                    let year = line[pos + 2 + month_len..pos + 2 + month_len + year_len]
                        .parse()
                        .ok()?;
                    return Some((pos + 2 + month_len + year_len, iso(year, month, Some(day))?));
                }
            }
            return None;
        }
        // 18th September 2012
        for suffix in ["st", "nd", "rd", "th"] {
            if line[pos..].starts_with(suffix) {
                pos += 2;
                break;
            }
        }
        let sp = spaces(bytes, pos);
        if sp == 0 {
            return None;
        }
        let word = word_at(line, pos + sp);
        let month = month(word)?;
        let mut after = pos + sp + word.len();
        if bytes.get(after) == Some(&b'.') {
            after += 1;
        }
        let sp2 = spaces(bytes, after);
        let year_len = digits(bytes, after + sp2);
        if sp2 == 0 || year_len != 4 || !at_word_end(bytes, after + sp2 + year_len) {
            return None;
        }
        let year = line[after + sp2..after + sp2 + year_len].parse().ok()?;
        return Some((after + sp2 + year_len, iso(year, month, Some(day))?));
    }
    // September 2012
    let word = word_at(line, at);
    let month = month(word).filter(|_| word.len() >= 3)?;
    let after = at + word.len();
    let sp = spaces(bytes, after);
    let year_len = digits(bytes, after + sp);
    if sp == 0 || year_len != 4 || !at_word_end(bytes, after + sp + year_len) {
        return None;
    }
    let year = line[after + sp..after + sp + year_len].parse().ok()?;
    Some((after + sp + year_len, iso(year, month, None)?))
}

/// An ISO date already in orgspec's form at `at` (`2012-10-01`, `2012-10`).
fn iso_date_at(line: &str, at: usize) -> Option<usize> {
    let s = line.as_bytes();
    if !at_word_start(s, at) || digits(s, at) != 4 || s.get(at + 4) != Some(&b'-') {
        return None;
    }
    let m = digits(s, at + 5);
    if m != 2 {
        return None;
    }
    let mut end = at + 7;
    if s.get(end) == Some(&b'-') && digits(s, end + 1) == 2 {
        end += 3;
    }
    at_word_end(s, end).then_some(end)
}

/// An amount at `at`: `£109,626`, `£41,850.50`, `£30_000`. Returns its end and its form
/// in orgspec (commas as `_`), and whether it was rewritten.
fn money_at(line: &str, at: usize) -> Option<(usize, String, bool)> {
    let rest = line[at..].strip_prefix('£')?;
    let s = rest.as_bytes();
    let mut i = 0;
    let mut out = String::from("£");
    let mut rewritten = false;
    let first = s
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b'_')
        .count();
    if first == 0 {
        return None;
    }
    out.push_str(&rest[..first]);
    i += first;
    while s.get(i) == Some(&b',') && digits(s, i + 1) == 3 && at_word_end(s, i + 4) {
        out.push('_');
        out.push_str(&rest[i + 1..i + 4]);
        i += 4;
        rewritten = true;
    }
    if s.get(i) == Some(&b'.') {
        let d = digits(s, i + 1);
        let unit_follows = matches!(s.get(i + 1 + d), Some(b'k' | b'K' | b'm' | b'M'));
        if d == 2 || (d > 0 && unit_follows) {
            out.push_str(&rest[i..=i + d]);
            i += 1 + d;
        }
    }
    // `£1.2m`, `£40k`: amounts written short
    let unit = match s.get(i) {
        Some(b'k' | b'K') if at_word_end(s, i + 1) => Some(1_000u64),
        Some(b'm' | b'M') if at_word_end(s, i + 1) => Some(1_000_000),
        _ => None,
    };
    if let Some(unit) = unit {
        let number = crate::value::without_underscores(&out[2..]);
        let value = rust_decimal::Decimal::from_str_exact(&number).ok()?
            * rust_decimal::Decimal::from(unit);
        let whole = value.trunc();
        if whole != value {
            return None;
        }
        out = format!("£{}", crate::value::group_digits(&whole.to_string(), '_'));
        i += 1;
        rewritten = true;
    }
    Some((at + '£'.len_utf8() + i, out, rewritten))
}

/// A value that can end a range: a date in either form or an amount.
fn bound_at(line: &str, at: usize) -> Option<(usize, String, Option<&'static str>)> {
    if let Some(end) = iso_date_at(line, at) {
        return Some((end, line[at..end].to_string(), None));
    }
    if let Some((end, iso)) = date_at(line, at) {
        return Some((end, iso, Some(DATE_WORDS)));
    }
    if let Some((end, money, rewritten)) = money_at(line, at) {
        return Some((end, money, rewritten.then_some(MONEY_WORDS)));
    }
    None
}

const DATE_WORDS: &str = "a date written day, month, year";
const MONEY_WORDS: &str = "an amount written with commas or a unit";
const RANGE_WORDS: &str = "a range written with `to` or a dash";
const COUNT_WORDS: &str = "a number of posts written as in a paper";

/// Every notation of a paper in `line`, left to right.
pub fn rewrites(line: &str) -> Vec<Rewrite> {
    let s = line.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < s.len() {
        if s[at] == b'"' {
            // strings are the user's words: skip them
            at += 1;
            while at < s.len() && s[at] != b'"' {
                at += if s[at] == b'\\' { 2 } else { 1 };
            }
            at += 1;
            continue;
        }
        if line[at..].starts_with("//") {
            break;
        }
        if !line.is_char_boundary(at) {
            at += 1;
            continue;
        }
        if let Some((end, first, words)) = bound_at(line, at) {
            // a range: `A to B`, `A – B`, `A - B`
            let sp = spaces(s, end);
            let rest = &line[end + sp..];
            let joiner = ["to ", "– ", "— ", "- ", "–", "—", "-"]
                .iter()
                .find(|j| rest.starts_with(**j) && (sp > 0 || !j.ends_with(' ') || j.len() > 2));
            if let Some(joiner) = joiner {
                let b = end + sp + joiner.len();
                let b = b + spaces(s, b);
                if let Some((end2, second, _)) = bound_at(line, b) {
                    out.push(Rewrite {
                        range: at..end2,
                        replacement: format!("{first}..{second}"),
                        what: RANGE_WORDS,
                    });
                    at = end2;
                    continue;
                }
            }
            if let Some(words) = words {
                out.push(Rewrite {
                    range: at..end,
                    replacement: first,
                    what: words,
                });
            }
            at = end;
            continue;
        }
        // `50%%`, `50 %`
        let n = digits(s, at);
        if n > 0 && at_word_start(s, at) {
            let num_end = at + n + {
                let frac = if s.get(at + n) == Some(&b'.') {
                    digits(s, at + n + 1)
                } else {
                    0
                };
                if frac > 0 {
                    frac + 1
                } else {
                    0
                }
            };
            let sp = spaces(s, num_end);
            let pct = s[num_end + sp..].iter().take_while(|b| **b == b'%').count();
            if pct > 0 && (pct > 1 || sp > 0) {
                out.push(Rewrite {
                    range: at..num_end + sp + pct,
                    replacement: format!("{}%", &line[at..num_end]),
                    what: "a percentage written with a stray `%` or space",
                });
                at = num_end + sp + pct;
                continue;
            }
            at = num_end.max(at + 1);
            continue;
        }
        // `x 2`, `x2`, `× 2`: a count as papers write it
        let times = if line[at..].starts_with('×') {
            '×'.len_utf8()
        } else {
            usize::from((s[at] == b'x' || s[at] == b'X') && at_word_start(s, at))
        };
        if times > 0 {
            let sp = spaces(s, at + times);
            let n = digits(s, at + times + sp);
            if n > 0 && at_word_end(s, at + times + sp + n) && (times > 1 || at > 0) {
                let number = &line[at + times + sp..at + times + sp + n];
                let in_count = line[..at].trim_end().ends_with("count");
                out.push(Rewrite {
                    range: at..at + times + sp + n,
                    replacement: if in_count {
                        number.to_string()
                    } else {
                        format!("count {number}")
                    },
                    what: COUNT_WORDS,
                });
                at += times + sp + n;
                continue;
            }
        }
        at += line[at..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// The notations of `line` taken together, if it has any.
pub fn rewrite(line: &str) -> Option<Rewritten> {
    let edits = rewrites(line);
    let first = edits.first()?;
    let last = edits.last()?;
    let range = first.range.start..last.range.end;
    let mut replacement = String::new();
    let mut at = range.start;
    for e in &edits {
        replacement.push_str(&line[at..e.range.start]);
        replacement.push_str(&e.replacement);
        at = e.range.end;
    }
    Some(Rewritten {
        written: line[range.clone()].to_string(),
        range,
        replacement,
        what: first.what,
        edits,
    })
}

/// The help that goes with a notation: how orgspec writes it.
pub fn explain(what: &str) -> &'static str {
    match what {
        DATE_WORDS => "orgspec writes dates year-month-day, `2012-09-18`, or `2012-09` for a month",
        MONEY_WORDS => "orgspec writes amounts without commas; `_` groups the digits, `£109_626`",
        RANGE_WORDS => {
            "orgspec writes a range with `..` between its ends, `2012-10-01..2012-11-30`"
        }
        COUNT_WORDS => "the number of posts is the field `count N`",
        _ => "a percentage is written with one `%` straight after the number, `50%`",
    }
}

/// A diagnostic about a mistake on a line that holds a paper's notation, said again as
/// that notation: what was written, orgspec's form, and a fix that writes it. `None` when
/// the line has no notation where the mistake is. `text` is the file from byte `base` on
/// (the whole file, or an item's text).
pub fn restate(
    d: &crate::diagnostic::Diagnostic,
    text: &str,
    base: usize,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, Edit, Fix};
    use crate::source::Span;
    let at = (d.span.start as usize).checked_sub(base)?;
    let bytes = text.as_bytes();
    let line_start = memchr::memrchr(b'\n', &bytes[..at.min(bytes.len())]).map_or(0, |n| n + 1);
    let line_end =
        memchr::memchr2(b'\n', b'\r', &bytes[line_start..]).map_or(bytes.len(), |n| line_start + n);
    let line = &text[line_start..line_end];
    let r = rewrite(line)?;
    // the mistake is inside the notation, or at the notation's first or last byte
    let (lo, hi) = (line_start + r.range.start, line_start + r.range.end);
    let (s, e) = (at, (d.span.end as usize).saturating_sub(base).max(at));
    if e < lo || s > hi {
        return None;
    }
    let span = |range: &Range<usize>| {
        Span::new(
            d.span.file,
            base + line_start + range.start,
            base + line_start + range.end,
        )
    };
    let first = &r.edits[0];
    let mut edits: Vec<Edit> = Vec::new();
    let header_count = r.edits.len() == 1
        && first.replacement.starts_with("count ")
        && line[first.range.end..].trim_start().starts_with('{');
    let shown = if header_count {
        // `post a "A" x 2 {` → `post a "A" { count 2;`: the count is a field of the item
        let brace = first.range.end + line[first.range.end..].find('{').unwrap_or(0);
        let gap = line[..first.range.start].len() - line[..first.range.start].trim_end().len();
        edits.push(Edit {
            span: span(&(first.range.start - gap..first.range.end)),
            replacement: String::new(),
        });
        edits.push(Edit {
            span: span(&(brace + 1..brace + 1)),
            replacement: format!(" {};", first.replacement),
        });
        format!("{{ {}; …", first.replacement)
    } else {
        edits.push(Edit {
            span: span(&r.range),
            replacement: r.replacement.clone(),
        });
        if r.what == COUNT_WORDS && !r.replacement.starts_with("count") {
            format!("count {}", r.replacement)
        } else {
            r.replacement.clone()
        }
    };
    let mut out = Diagnostic::new(
        d.rule.clone(),
        d.severity,
        span(&r.range),
        format!("`{}` is {}: orgspec writes `{shown}`", r.written, r.what),
    )
    .with_label(format!("write `{shown}`"))
    .with_help(explain(r.what).to_string());
    out.fixes.push(Fix {
        description: format!("write `{shown}`"),
        edits,
    });
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(line: &str) -> Option<String> {
        rewrite(line).map(|r| {
            let mut s = line.to_string();
            s.replace_range(r.range, &r.replacement);
            s
        })
    }

    #[test]
    fn dates_as_papers_write_them() {
        assert_eq!(
            fixed("published 18/09/2012").unwrap(),
            "published 2012-09-18"
        );
        assert_eq!(fixed("published 1.4.2013").unwrap(), "published 2013-04-01");
        assert_eq!(
            fixed("published 18 September 2012").unwrap(),
            "published 2012-09-18"
        );
        assert_eq!(
            fixed("published 18th Sept. 2012").unwrap(),
            "published 2012-09-18"
        );
        assert_eq!(
            fixed("published September 2012").unwrap(),
            "published 2012-09"
        );
        assert_eq!(fixed("published 32/09/2012"), None, "not a day");
        assert_eq!(fixed("published 2012-09-18"), None);
    }

    #[test]
    fn money_and_ranges_as_papers_write_them() {
        assert_eq!(
            fixed("grade £109,626..£121,807").unwrap(),
            "grade £109_626..£121_807"
        );
        assert_eq!(fixed("cost £1.2m").unwrap(), "cost £1_200_000");
        assert_eq!(fixed("cost £40k").unwrap(), "cost £40_000");
        assert_eq!(
            fixed("grade £1,000 - £2,000").unwrap(),
            "grade £1_000..£2_000"
        );
        assert_eq!(
            fixed("consultation \"c\" 2012-10-01 to 2012-11-30").unwrap(),
            "consultation \"c\" 2012-10-01..2012-11-30"
        );
        assert_eq!(
            fixed("consultation \"c\" 2012-10-01 – 2012-11-30").unwrap(),
            "consultation \"c\" 2012-10-01..2012-11-30"
        );
        assert_eq!(
            fixed("consultation \"1 October 2012 to 2013\" 1 Oct 2012 to 30 Nov 2012").unwrap(),
            "consultation \"1 October 2012 to 2013\" 2012-10-01..2012-11-30"
        );
        assert_eq!(fixed("grade £30_000..£40_000"), None);
    }

    #[test]
    fn percentages_and_counts_as_papers_write_them() {
        assert_eq!(fixed("funded sbc 50%%").unwrap(), "funded sbc 50%");
        assert_eq!(fixed("funded sbc 50 %").unwrap(), "funded sbc 50%");
        assert_eq!(fixed("count x 2").unwrap(), "count 2");
        assert_eq!(fixed("count ×2").unwrap(), "count 2");
        assert_eq!(
            fixed("post a \"A\" × 3 {").unwrap(),
            "post a \"A\" count 3 {"
        );
        assert_eq!(fixed("reports_to x2y"), None);
        assert_eq!(fixed("funded sbc 50%"), None);
    }
}
