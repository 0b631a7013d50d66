//! The semver impact of regenerating a crate, and the version it calls for.
//!
//! Codegen records, in the crate's `public-api.txt`, the version it last gave
//! the crate, that version's public API (the `surface` listing) and a digest of
//! its generated sources. On the next run it compares the new API with that
//! record, line by line:
//! - a line gone or changed is breaking (a removed or renamed item, a type
//!   change, a new required field or argument, a narrowed bound, a `From` that
//!   no longer holds), except where the change cannot break a caller (a widened
//!   bound, another retry policy, another API version or server);
//! - a new line is an addition (a new optional field, enum value, operation…),
//!   except a new required argument of an existing call, which is breaking;
//! - the same API with other generated sources (docs, an emitter fix) is a patch.
//!
//! Types are `#[non_exhaustive]`, which is what makes additions non-breaking.
//! Under 1.0 a breaking change bumps the minor version and anything else the
//! patch (Cargo's reading of `0.x`); from 1.0, major, minor and patch.

use std::collections::BTreeSet;
use std::fmt;

/// The file in the crate's folder that holds the record.
pub const RECORD_FILE: &str = "public-api.txt";

/// How much a change matters to users of the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing generated changed.
    None,
    /// Generated sources changed, the API did not (docs, fixes).
    Patch,
    /// The API grew in a way no caller notices.
    Addition,
    /// A caller's code may stop compiling or behave differently.
    Breaking,
}

/// What changed since the record, and the version that follows from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub level: Level,
    pub from: Version,
    pub to: Version,
    /// One line per breaking change, then one per addition.
    pub lines: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::None => "no change",
            Level::Patch => "patch (same API, other generated sources)",
            Level::Addition => "addition (nothing a caller could notice breaks)",
            Level::Breaking => "breaking",
        };
        write!(f, "semver: {level}: {} -> {}", self.from, self.to)?;
        for line in &self.lines {
            write!(f, "\n  {line}")?;
        }
        Ok(())
    }
}

/// A `major.minor.patch` version (pre-release and build parts are not used).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    /// Reads `major.minor.patch`, each part plain decimal digits (no sign) that fit a `u64`.
    pub fn parse(text: &str) -> Option<Version> {
        let number = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit()).then(|| part.parse::<u64>().ok())?;
        let mut parts = text.trim().split('.').map(number);
        let version = Version { major: parts.next()??, minor: parts.next()??, patch: parts.next()?? };
        parts.next().is_none().then_some(version)
    }

    /// The version after a change of `level`; `None` when the part to bump is
    /// already the largest number a part can hold (a tampered record).
    pub fn bump(self, level: Level) -> Option<Version> {
        let Version { major, minor, patch } = self;
        Some(match (level, major) {
            (Level::None, _) => self,
            (Level::Breaking, 0) => Version { major, minor: minor.checked_add(1)?, patch: 0 },
            (Level::Breaking, _) => Version { major: major.checked_add(1)?, minor: 0, patch: 0 },
            (Level::Addition, 1..) => Version { major, minor: minor.checked_add(1)?, patch: 0 },
            (Level::Addition | Level::Patch, _) => Version { major, minor, patch: patch.checked_add(1)? },
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What `public-api.txt` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub version: Version,
    /// A digest of the generated sources (see `digest`).
    pub digest: String,
    /// The `surface` listing.
    pub surface: String,
}

const VERSION_PREFIX: &str = "# version ";
const DIGEST_PREFIX: &str = "# sources ";

impl Record {
    /// The record's text, after `header` (codegen's `#` header line, by which
    /// it knows the file as its own).
    pub fn to_text(&self, header: &str, crate_name: &str) -> String {
        format!(
            "{header}# The public API of {crate_name}, recorded by `cargo xtask codegen` as the base of its next\n\
             # semver check. Do not edit: it is rewritten with the crate.\n\
             {VERSION_PREFIX}{}\n{DIGEST_PREFIX}{}\n{}",
            self.version, self.digest, self.surface
        )
    }

    /// Reads a record; `None` if the text is not one.
    pub fn parse(text: &str) -> Option<Record> {
        let mut version = None;
        let mut digest = None;
        let mut surface = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix(VERSION_PREFIX) {
                version = Version::parse(rest);
            } else if let Some(rest) = line.strip_prefix(DIGEST_PREFIX) {
                digest = Some(rest.trim().to_owned());
            } else if !line.starts_with('#') {
                surface.push_str(line);
                surface.push('\n');
            }
        }
        Some(Record { version: version?, digest: digest?, surface })
    }
}

/// A digest of generated files (FNV-1a, 64 bits, over paths and contents):
/// enough to notice any change, not meant to resist forgery.
pub fn digest<'f>(files: impl IntoIterator<Item = (&'f str, &'f str)>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, contents) in files {
        for bytes in [path.as_bytes(), &[0], contents.as_bytes(), &[0]] {
            hash = fnv1a(hash, bytes);
        }
    }
    format!("{hash:016x}")
}

/// FNV-1a from `hash` over `bytes`, a plain loop over a slice: megabytes of
/// generated code go through it.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Compares the recorded API with the new one; an error when the recorded
/// version cannot be bumped as far as the change calls for.
pub fn compare(record: &Record, surface: &str, digest: &str) -> Result<Report, crate::Error> {
    let old: Vec<Line> = lines(&record.surface);
    let new: Vec<Line> = lines(surface);
    let old_set: BTreeSet<&str> = old.iter().map(|line| line.text.as_str()).collect();
    let new_set: BTreeSet<&str> = new.iter().map(|line| line.text.as_str()).collect();
    let removed: Vec<&Line> = old.iter().filter(|line| !new_set.contains(line.text.as_str())).collect();
    let added: Vec<&Line> = new.iter().filter(|line| !old_set.contains(line.text.as_str())).collect();

    let mut breaking = Vec::new();
    let mut additions = Vec::new();
    let mut replaced: BTreeSet<&str> = BTreeSet::new();
    for old_line in &removed {
        let successor = added.iter().find(|new_line| new_line.key == old_line.key);
        match successor {
            Some(new_line) => {
                replaced.insert(new_line.text.as_str());
                let change = format!("changed: {} -> {}", old_line.shown(), new_line.body);
                if compatible(old_line, new_line) {
                    additions.push(change);
                } else {
                    breaking.push(change);
                }
            }
            None => breaking.push(format!("removed: {}", old_line.shown())),
        }
    }
    for new_line in added.iter().filter(|line| !replaced.contains(line.text.as_str())) {
        let required = new_line.body.ends_with(" required") || new_line.body.contains(" required in ");
        let existing_call =
            new_line.key.starts_with("call ") && old.iter().any(|line| line.context == new_line.context);
        if required && existing_call {
            breaking.push(format!("new required argument: {}", new_line.shown()));
            continue;
        }
        additions.push(format!("added: {}", new_line.shown()));
    }
    let level = if !breaking.is_empty() {
        Level::Breaking
    } else if !additions.is_empty() {
        Level::Addition
    } else if digest != record.digest {
        Level::Patch
    } else {
        Level::None
    };
    let mut lines = breaking;
    lines.extend(additions);
    let to = record.version.bump(level).ok_or_else(|| {
        crate::Error::new(format!(
            "{RECORD_FILE} records version {}, which cannot be bumped for this change: a part of it is already \
             the largest number a version part can hold here ({}); set a smaller version in it by hand",
            record.version,
            u64::MAX
        ))
    })?;
    Ok(Report { level, from: record.version, to, lines })
}

/// A line of the surface with what it belongs to: `struct X`, `enum X`, or the
/// call of an operation, so that the same field line in two structs, or the
/// same argument in two calls, are told apart.
#[derive(Debug)]
struct Line {
    /// The line with its context, as compared.
    text: String,
    /// What identifies the item across versions: its context and name.
    key: String,
    /// The item the line belongs to (`struct X`, `call get`…), if any.
    context: String,
    /// The line itself.
    body: String,
}

impl Line {
    fn shown(&self) -> String {
        if self.context.is_empty() {
            self.body.clone()
        } else {
            format!("{}: {}", self.context, self.body)
        }
    }
}

fn lines(surface: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut context = String::new();
    let mut call = String::new();
    for raw in surface.lines() {
        let body = raw.trim().to_owned();
        let depth = raw.len() - raw.trim_start().len();
        let this_context = if depth == 0 {
            // `struct X`, `enum X`, `tagged X by …`, `untagged X`, `group Client::x() -> …`,
            // `const …`, `impl …`, `type X = …`.
            let kinds = ["struct ", "enum ", "tagged ", "untagged "];
            context = if kinds.iter().any(|kind| body.starts_with(kind)) {
                body.split(' ').take(2).collect::<Vec<_>>().join(" ")
            } else if let Some(rest) = body.strip_prefix("group Client::") {
                format!("group {}", rest.split('(').next().unwrap_or(""))
            } else {
                String::new()
            };
            call.clear();
            String::new()
        } else if depth == 2 && context.starts_with("group ") {
            // An operation: `fn get() -> Get  […]`; its call's lines follow.
            let name = body.split("fn ").nth(1).and_then(|rest| rest.split('(').next()).unwrap_or("");
            call = format!("call {}.{name}", &context["group ".len()..]);
            context.clone()
        } else if depth >= 4 && !call.is_empty() {
            call.clone()
        } else {
            context.clone()
        };
        let key = format!("{this_context}|{}", item_name(&body));
        out.push(Line { text: format!("{this_context}|{body}"), key, context: this_context, body });
    }
    out
}

/// The name an item keeps across versions: a field's or argument's name, a
/// function's name, a const's name, an enum value's variant.
fn item_name(body: &str) -> String {
    let body = body.trim_start_matches("#[deprecated] ");
    if let Some(rest) = body.strip_prefix("const ") {
        return format!("const {}", rest.split(' ').next().unwrap_or(""));
    }
    if let Some(rest) = body.strip_prefix("fn ") {
        return format!("fn {}", rest.split('(').next().unwrap_or(""));
    }
    if let Some(rest) = body.strip_prefix('.') {
        return format!(".{}", rest.split('(').next().unwrap_or(""));
    }
    if body.starts_with("retries:") {
        return "retries".to_owned();
    }
    // A type alias, a union: named by kind and name, so a changed target or a
    // property is a change of that item.
    if ["type ", "tagged ", "untagged "].iter().any(|kind| body.starts_with(kind)) {
        return body.split(' ').take(2).collect::<Vec<_>>().join(" ");
    }
    // `name: Type = "wire" …` (a field) or `Variant = "wire"` (an enum value).
    body.split([':', ' ']).next().unwrap_or(body).to_owned()
}

/// Whether a changed line cannot break a caller: a const's value (the API
/// version, the server, the retry policy), a retry setting, or a bound that
/// only widened.
fn compatible(old: &Line, new: &Line) -> bool {
    if old.key.ends_with("|retries") || old.body.starts_with("const ") {
        return true;
    }
    let (old_rest, old_bounds) = split_bounds(&old.body);
    let (new_rest, new_bounds) = split_bounds(&new.body);
    old_rest == new_rest && widens(old_bounds, new_bounds)
}

/// `limit: Option<i64> = "limit" in 1..=500` → (`limit: Option<i64> = "limit"`, `1..=500`).
fn split_bounds(body: &str) -> (&str, Option<&str>) {
    match body.rsplit_once(" in ") {
        Some((rest, bounds)) if bounds.contains("..") => (rest, Some(bounds)),
        _ => (body, None),
    }
}

fn widens(old: Option<&str>, new: Option<&str>) -> bool {
    let parse = |bounds: Option<&str>| -> Option<(Option<i64>, Option<i64>)> {
        let Some(bounds) = bounds else { return Some((None, None)) };
        let (min, max) = bounds.split_once("..")?;
        let min = if min.is_empty() { None } else { Some(min.parse().ok()?) };
        let max = match max.strip_prefix('=') {
            Some(max) => Some(max.parse().ok()?),
            None if max.is_empty() => None,
            None => return None,
        };
        Some((min, max))
    };
    let (Some((old_min, old_max)), Some((new_min, new_max))) = (parse(old), parse(new)) else { return false };
    let min_ok = match (old_min, new_min) {
        (_, None) => true,
        (Some(old), Some(new)) => new <= old,
        (None, Some(_)) => false,
    };
    let max_ok = match (old_max, new_max) {
        (_, None) => true,
        (Some(old), Some(new)) => new >= old,
        (None, Some(_)) => false,
    };
    min_ok && max_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "\
const API_VERSION = \"2026-05-12\"
group Client::invitations() -> InvitationsApi
  fn revoke() -> Revoke  [POST /r RevokeInvitation; errors 404]
    .organization_id(String) = \"organization_id\" required
    .body(RevokeRequest) optional
    retries: idempotent
struct RevokeRequest
  requesting_user_id: Option<String> = \"requesting_user_id\"
  fn new()
struct Params (query)
  limit: Option<i64> = \"limit\" in 1..=500
enum Status
  Pending = \"pending\"
  Unknown(UnknownValue)
";

    fn record() -> Record {
        Record { version: Version::parse("0.1.0").unwrap(), digest: "d1".into(), surface: BASE.into() }
    }

    #[test]
    fn an_optional_field_and_an_enum_value_are_additions() {
        let new = BASE
            .replace("  fn new()\n", "  reason: Option<String> = \"reason\"\n  fn new()\n")
            .replace("  Unknown(", "  Archived = \"archived\"\n  Unknown(");
        let report = compare(&record(), &new, "d2").unwrap();
        assert_eq!(report.level, Level::Addition, "{report}");
        assert_eq!(report.to.to_string(), "0.1.1");
        assert_eq!(report.lines.len(), 2, "{report}");
    }

    #[test]
    fn a_removed_field_a_new_required_argument_and_a_narrowed_bound_are_breaking() {
        for new in [
            BASE.replace("  requesting_user_id: Option<String> = \"requesting_user_id\"\n", ""),
            BASE.replace("    .body(", "    .invitation_id(String) = \"invitation_id\" required\n    .body("),
            BASE.replace("in 1..=500", "in 1..=100"),
            BASE.replace("Option<String> = \"requesting_user_id\"", "Option<i64> = \"requesting_user_id\""),
        ] {
            let report = compare(&record(), &new, "d2").unwrap();
            assert_eq!(report.level, Level::Breaking, "{new}\n{report}");
            assert_eq!(report.to.to_string(), "0.2.0");
        }
    }

    #[test]
    fn type_aliases_are_told_apart_by_name() {
        let record = Record {
            version: Version::parse("0.1.0").unwrap(),
            digest: "d1".into(),
            surface: "type Mappings = BTreeMap<String, String>\n".into(),
        };
        let report = compare(&record, "type Labels = BTreeMap<String, i64>\n", "d2").unwrap();
        assert_eq!(report.level, Level::Breaking, "{report}");
        assert_eq!(
            report.lines,
            ["removed: type Mappings = BTreeMap<String, String>", "added: type Labels = BTreeMap<String, i64>"]
        );
        let retyped = compare(&record, "type Mappings = BTreeMap<String, i64>\n", "d2").unwrap();
        assert_eq!(retyped.level, Level::Breaking, "{retyped}");
    }

    const UNIONS: &str = "\
tagged Verification by \"object\"
  Otp(Otp) = \"verification_otp\"
  Unknown(serde_json::Map<String, serde_json::Value>)
untagged Refresh
  Token(Token) tried 1
  Cookies(Cookies) tried 2
type Mappings = BTreeMap<String, String>
";

    fn unions() -> Record {
        Record { version: Version::parse("0.1.0").unwrap(), digest: "d1".into(), surface: UNIONS.into() }
    }

    #[test]
    fn a_new_variant_of_a_tagged_union_or_one_tried_last_is_an_addition() {
        let tagged = UNIONS.replace("  Unknown(", "  Admin(Admin) = \"admin\"\n  Unknown(");
        let untagged = UNIONS.replace("tried 2\n", "tried 2\n  Count(i64) tried 3\n");
        for new in [tagged, untagged] {
            let report = compare(&unions(), &new, "d2").unwrap();
            assert_eq!(report.level, Level::Addition, "{new}\n{report}");
            assert_eq!(report.lines.len(), 1, "{report}");
        }
    }

    #[test]
    fn a_variant_tried_before_others_a_tag_moved_or_a_map_retyped_is_breaking() {
        for new in [
            // A value that decoded as `Token` may now decode as `Jwt`.
            UNIONS.replace(
                "  Token(Token) tried 1\n  Cookies(Cookies) tried 2",
                "  Jwt(Jwt) tried 1\n  Token(Token) tried 2\n  Cookies(Cookies) tried 3",
            ),
            UNIONS.replace("= \"verification_otp\"", "= \"otp\""),
            UNIONS.replace("BTreeMap<String, String>", "BTreeMap<String, i64>"),
        ] {
            let report = compare(&unions(), &new, "d2").unwrap();
            assert_eq!(report.level, Level::Breaking, "{new}\n{report}");
        }
    }

    #[test]
    fn a_widened_bound_and_a_new_api_version_are_not_breaking() {
        let new = BASE.replace("in 1..=500", "in 0..").replace("2026-05-12", "2026-06-01");
        let report = compare(&record(), &new, "d1").unwrap();
        assert_eq!(report.level, Level::Addition, "{report}");
    }

    #[test]
    fn the_same_api_with_other_sources_is_a_patch_and_nothing_is_nothing() {
        assert_eq!(compare(&record(), BASE, "d2").unwrap().level, Level::Patch);
        let same = compare(&record(), BASE, "d1").unwrap();
        assert_eq!((same.level, same.to), (Level::None, record().version));
    }

    #[test]
    fn versions_bump_as_cargo_reads_them() {
        let v = |text: &str| Version::parse(text).unwrap();
        assert_eq!(v("0.3.4").bump(Level::Breaking), Some(v("0.4.0")));
        assert_eq!(v("0.3.4").bump(Level::Addition), Some(v("0.3.5")));
        assert_eq!(v("1.3.4").bump(Level::Breaking), Some(v("2.0.0")));
        assert_eq!(v("1.3.4").bump(Level::Addition), Some(v("1.4.0")));
        assert_eq!(v("1.3.4").bump(Level::Patch), Some(v("1.3.5")));
        assert_eq!(Version::parse("1.2"), None);
        for odd in ["+1.2.3", "1.-2.3", "1.2.3 4", "1.2.", "18446744073709551616.0.0"] {
            assert_eq!(Version::parse(odd), None, "{odd}");
        }
    }

    #[test]
    fn a_version_at_the_largest_numbers_is_not_bumped_past_them() {
        let max = u64::MAX;
        let v = |text: &str| Version::parse(text).unwrap();
        assert_eq!(v(&format!("{max}.0.0")).bump(Level::Breaking), None);
        assert_eq!(v(&format!("0.{max}.0")).bump(Level::Breaking), None);
        assert_eq!(v(&format!("1.{max}.0")).bump(Level::Addition), None);
        assert_eq!(v(&format!("0.0.{max}")).bump(Level::Patch), None);
        assert_eq!(v(&format!("{max}.{max}.{max}")).bump(Level::None), Some(v(&format!("{max}.{max}.{max}"))));
        let record = Record { version: v(&format!("0.{max}.0")), digest: "d1".into(), surface: BASE.into() };
        let new = BASE.replace("in 1..=500", "in 1..=100");
        let error = compare(&record, &new, "d2").expect_err("cannot be bumped");
        assert!(error.to_string().contains("cannot be bumped"), "{error}");
    }

    #[test]
    fn a_record_reads_back() {
        let record = record();
        let header =
            "# @generated by `cargo xtask codegen` from Clerk 1. Do not edit: change the spec and run it again.\n";
        let text = record.to_text(header, "clerk-invitations");
        assert!(text.starts_with(header), "{text}");
        assert_eq!(Record::parse(&text), Some(record));
    }
}
