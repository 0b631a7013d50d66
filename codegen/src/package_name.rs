//! The generated crate's package name (`--name`), checked as cargo and
//! crates.io check one: cargo's `validate_package_name` and `cargo new`'s
//! reserved names (`cargo/src/cargo/util/restricted_names.rs`), with
//! crates.io's ASCII-only alphabet and 64-character limit, so a name codegen
//! accepts is one the crate can be built and published under.

use crate::Error;

/// crates.io's limit.
pub const MAX_LENGTH: usize = 64;

/// Rust keywords, as cargo lists them (strict, reserved and weak ones).
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl", "in", "let", "loop", "macro", "match",
    "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The standard library's crates, and cargo's own folders in `target/`.
const RESERVED: &[&str] =
    &["test", "core", "std", "alloc", "proc_macro", "proc-macro", "deps", "examples", "build", "incremental"];

/// Names Windows gives devices, in any case.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Refuses a package name cargo or crates.io would refuse.
pub fn check(name: &str) -> Result<(), Error> {
    let refuse = |why: String| Err(Error::new(format!("package name {name:?} (--name): {why}")));
    let Some(first) = name.chars().next() else {
        return Err(Error::new("the package name (--name) is empty"));
    };
    if let Some(odd) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return refuse(format!("{odd:?} is not allowed: only ASCII letters, digits, `-` and `_` are"));
    }
    if first.is_ascii_digit() {
        return refuse("it starts with a digit".to_owned());
    }
    if first == '-' {
        return refuse("it starts with `-`".to_owned());
    }
    if name.chars().count() > MAX_LENGTH {
        return refuse(format!("it is longer than the {MAX_LENGTH} characters crates.io allows"));
    }
    if KEYWORDS.contains(&name) {
        return refuse("it is a Rust keyword".to_owned());
    }
    if RESERVED.contains(&name) {
        return refuse("cargo reserves it (a standard library crate or a folder of its own)".to_owned());
    }
    if WINDOWS_DEVICES.contains(&name.to_ascii_lowercase().as_str()) {
        return refuse("it is a Windows device name".to_owned());
    }
    // Cargo takes `_`, but the library it names would be the crate `_`, which
    // no code can refer to.
    if name == "_" {
        return refuse("the crate would be named `_`, which no code can refer to".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cargo_accepts_pass() {
        for name in ["clerk-invitations", "a_b-c9", "_private", "x", "Caps-OK", "async-client", "con1", &"a".repeat(64)]
        {
            assert!(check(name).is_ok(), "{name}: {:?}", check(name));
        }
    }

    #[test]
    fn each_class_cargo_refuses_is_refused_with_its_reason() {
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            ("a b", "not allowed"),
            ("a.b", "not allowed"),
            ("a/b", "not allowed"),
            ("naïve", "not allowed"),
            ("a\nb", "not allowed"),
            ("9lives", "starts with a digit"),
            ("-x", "starts with `-`"),
            ("self", "keyword"),
            ("Self", "keyword"),
            ("async", "keyword"),
            ("test", "reserves"),
            ("core", "reserves"),
            ("std", "reserves"),
            ("alloc", "reserves"),
            ("proc_macro", "reserves"),
            ("proc-macro", "reserves"),
            ("deps", "reserves"),
            ("examples", "reserves"),
            ("build", "reserves"),
            ("incremental", "reserves"),
            ("con", "Windows"),
            ("NUL", "Windows"),
            ("Com1", "Windows"),
            ("lpt9", "Windows"),
            ("_", "`_`"),
        ];
        for (name, reason) in cases {
            let error = check(name).expect_err(name).to_string();
            assert!(error.contains(reason), "{name:?}: {error}");
            assert_eq!(error.lines().count(), 1, "{name:?}: one line: {error}");
        }
        let long = "a".repeat(65);
        assert!(check(&long).expect_err("too long").to_string().contains("longer than the 64"));
    }
}
