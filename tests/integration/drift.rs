//! `cargo xtask drift` against edited copies of `spec/`: prose edits pass, a
//! changed bound or a removed field fails with the pointer of the change.

fn drift_against(name: &str, edit: impl Fn(&str) -> String) -> (u8, String) {
    let original = std::fs::read_to_string(verify::paths::default_spec()).expect("read spec/");
    let edited = edit(&original);
    assert_ne!(edited, original, "the edit must change the document");
    let path = tests::scratch_dir(name).join("upstream.yaml");
    std::fs::write(&path, edited).expect("write copy");
    let args = vec!["drift".to_owned(), "--upstream".to_owned(), path.display().to_string()];
    let (code, _, err) = tests::xtask(&args);
    (code, err)
}

/// Replaces the first occurrence of `from` after `anchor`.
fn replace_after(text: &str, anchor: &str, from: &str, to: &str) -> String {
    let start = text.find(anchor).expect("anchor") + anchor.len();
    let at = start + text[start..].find(from).expect("text to replace");
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

const CREATE: &str = "  /organizations/{organization_id}/invitations:\n";

#[test]
fn rewording_prose_is_not_drift() {
    let (code, err) = drift_against("prose", |spec| replace_after(spec, CREATE, "summary: ", "summary: Reworded. "));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_changed_maximum_is_reported_at_its_pointer() {
    let (code, err) = drift_against("maximum", |spec| replace_after(spec, CREATE, "maximum: 365", "maximum: 400"));
    assert_eq!(code, verify::FAILURE);
    assert!(
        err.contains("#/paths/~1organizations~1{organization_id}~1invitations/post/requestBody/content/application~1json/schema/properties/expires_in_days/maximum: 365 in spec/, 400 upstream"),
        "{err}"
    );
    assert!(err.contains("in 1..=400"), "the public API change is listed too: {err}");
}

#[test]
fn a_removed_field_is_reported() {
    let (code, err) = drift_against("field", |spec| {
        let start = spec.find(CREATE).expect("create path");
        let field = start + spec[start..].find("                redirect_url:\n").expect("field");
        let next = field + spec[field..].find("                expires_in_days:\n").expect("next field");
        format!("{}{}", &spec[..field], &spec[next..])
    });
    assert_eq!(code, verify::FAILURE);
    assert!(err.contains("/properties/redirect_url: only in spec/"), "{err}");
}

#[test]
fn a_removed_enum_value_is_reported() {
    let (code, err) = drift_against("enum", |spec| {
        replace_after(spec, "  /organization_invitations:\n", "              - expired\n", "")
    });
    assert_eq!(code, verify::FAILURE);
    assert!(err.contains("\"expired\" only in spec/"), "{err}");
}
