//! The intermediate representation: plain data, every name resolved.
//!
//! `lower` builds it from the OpenAPI document; the emitters and the API-surface
//! listing read only this, never the spec, so what the client looks like is decided
//! in one place.

use std::collections::{BTreeMap, BTreeSet};

/// Everything the emitters need to write the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`, for the generated file header (see [`Api::name`]).
    pub title: Option<String>,
    /// `info.version`; sent as a header with every call when the API asks for
    /// one (`Options::version_header`).
    pub version: String,
    /// The first entry of `servers`, the client's default base URL.
    pub default_base_url: Option<String>,
    /// Operation groups in name order; operations inside in method-name order.
    pub groups: Vec<Group>,
    /// Every named type, keyed (and so sorted) by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// The root `x-speakeasy-retries`, the default for every operation.
    pub retries: Option<RetryPolicy>,
    /// The security schemes the operations use, in the document's order.
    pub schemes: Vec<Scheme>,
    /// Headers sent with every call, `(name, value)`, names as written.
    pub constant_headers: Vec<(String, String)>,
    /// The environment variable the client reads its secret from, when the
    /// API has security schemes.
    pub secret_var: Option<String>,
    /// Where error bodies keep their code, message and trace id.
    pub errors: ErrorFormat,
    /// Enums in `types` that are closed: a value the spec does not list fails to
    /// decode instead of becoming `Unknown` (see `lower::OpenEnums`). Empty by
    /// default: every enum of Clerk's API is open.
    pub closed_enums: BTreeSet<String>,
}

impl Api {
    /// The API's name for the generator's own text: `info.title`, or words
    /// saying there is none.
    pub fn name(&self) -> &str {
        self.title.as_deref().unwrap_or("an untitled API")
    }

    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.groups.iter().flat_map(|group| group.operations.iter())
    }
}

/// Operations sharing an `x-speakeasy-group`, reached as `client.<accessor>()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// snake_case module and accessor name, e.g. `organization_invitations`.
    pub module: String,
    /// The group's name as the spec gives it (`x-speakeasy-group` or first tag).
    pub title: String,
    /// UpperCamelCase handle type, e.g. `OrganizationInvitationsApi`.
    pub type_name: String,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    /// snake_case name of the group handle's method that starts the call (from
    /// `x-speakeasy-name-override`, else the operationId; see `names::method_name`).
    pub method_name: String,
    /// UpperCamelCase name of the call builder type in the group module, e.g. `Get`.
    pub call_type: String,
    pub http_method: HttpMethod,
    /// The path template as written in the spec, e.g. `/organizations/{organization_id}`.
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// In template order; every one is required (checked when the call is sent).
    pub path_params: Vec<Param>,
    /// Query parameters gathered into one struct, if the operation has any.
    pub query: Option<QueryParams>,
    /// Header parameters, in spec order, each sent as the header its wire name
    /// names (never `Accept`, `Content-Type` or `Authorization`: OpenAPI ignores those).
    pub headers: Vec<Param>,
    pub body: Option<Body>,
    /// The documented 2XX responses, in status order.
    pub successes: Vec<Response>,
    /// What `send` returns, read off `successes`.
    pub output: Output,
    /// Documented non-2XX responses, in status order.
    pub errors: Vec<Response>,
    /// The security requirements: alternatives, each naming the schemes it
    /// sends together; an empty alternative allows a call without credentials.
    pub security: Vec<Vec<String>>,
    pub retry_safety: RetrySafety,
    /// An operation's own `x-speakeasy-retries`, replacing the root one.
    pub retries: Option<RetryPolicy>,
    pub pagination: Option<Pagination>,
}

/// One of `components.securitySchemes`, as the runtime sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// Its name in `components.securitySchemes`.
    pub name: String,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// HTTP `bearer`, and the access token of OAuth 2 and OpenID Connect.
    Bearer,
    /// HTTP `basic`.
    Basic,
    /// An API key in this header (as the document writes it).
    Header(String),
    /// An API key in this query parameter.
    Query(String),
    /// An API key in this cookie.
    Cookie(String),
}

/// Where the API's error bodies keep what the runtime's generic accessors
/// return, as JSON pointers (`*` for every element of a list).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorFormat {
    pub style: ErrorStyle,
    pub code: Option<String>,
    pub message: Option<String>,
    pub trace_id: Option<String>,
    /// A response header with the trace id (lowercase).
    pub trace_header: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ErrorStyle {
    /// The document's own error model, by its Rust name.
    Schema(String),
    /// `application/problem+json` (RFC 9457).
    Problem,
    /// No error body documented.
    #[default]
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::path_params`.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: String,
    /// The Rust identifier (snake_case, keyword-safe).
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
    pub default: Option<serde_json::Value>,
    pub bounds: Bounds,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueryParams {
    /// The struct holding them, e.g. `ListOrganizationInvitationsParams`.
    pub type_name: String,
    pub params: Vec<Param>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    /// Whether the method takes the body as `Option<&T>` (and sends none when absent).
    pub optional: bool,
    pub description: Option<String>,
    /// Item-count bounds when the body is an array.
    pub bounds: Bounds,
    /// `Some` for a `multipart/form-data` body. `ty` then names the form's own
    /// type (`Named(form.type_name)`), emitted into `models` from here: it is
    /// not one of `Api::types`, which all travel as JSON.
    pub form: Option<Form>,
}

/// A `multipart/form-data` body: one part per field.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub type_name: String,
    pub description: Option<String>,
    /// In the spec's order, which is the order of the parts.
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub wire_name: String,
    pub rust_name: String,
    /// The name of its setter (the field's, unless that is a method every form
    /// has: `with_{field}`).
    pub setter: String,
    pub value: FormValue,
    pub required: bool,
    pub description: Option<String>,
    pub bounds: Bounds,
    pub deprecated: bool,
}

/// What a form field's parts hold.
#[derive(Debug, Clone, PartialEq)]
pub enum FormValue {
    /// A file (`type: string, format: binary`): a `FilePart`.
    File,
    /// A list of files, each its own part under the field's name.
    Files,
    /// Text: a scalar or enum as it is written in a query, a list as one part
    /// per item.
    Text(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `200`, or a range such as `5XX`.
    pub status: String,
    pub description: Option<String>,
    pub content: Content,
    /// Whether its JSON schema is `nullable`: the body may be `null`.
    pub nullable: bool,
}

/// What a response's body holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// No content is documented: nothing to decode.
    Empty,
    /// `application/json` of this type (`Any` when it has no schema).
    Json(TypeRef),
    /// Only other media types (`application/octet-stream`, `image/png`, …): the
    /// raw bytes. `media_types` are the documented ones, for `Accept`.
    Bytes { media_types: Vec<String> },
}

/// What a call's `send` returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// `()`: no success response has content.
    Empty,
    /// The one JSON type every success response has.
    Json(TypeRef),
    /// The same, where a success response's schema is `nullable`: an
    /// `Option`, `None` for a `null` body.
    NullableJson(TypeRef),
    /// The raw body (`Bytes`): every success response has only other media types.
    Bytes,
    /// Success responses with different content: an enum with one variant per
    /// status, chosen by the answer's status.
    ByStatus(StatusEnum),
}

/// The success responses of one operation as an enum (in `models`).
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEnum {
    pub type_name: String,
    /// In status order, exact codes before ranges (`2XX`).
    pub variants: Vec<StatusVariant>,
    /// Whether an `Other { status, body }` variant takes a 2XX status no variant
    /// names (there is none when a range covers them all).
    pub other: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// `Ok`, `Created`, `NoContent`, …, or `Success` for `2XX`.
    pub name: String,
    /// `200`, or `2XX`.
    pub status: String,
    pub description: Option<String>,
    pub content: Content,
}

/// Numeric bounds (`minimum`/`maximum`) or item-count bounds (`minItems`/`maxItems`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounds {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Bounds {
    pub fn is_empty(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }
}

/// A reference to a type, as used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    /// `int32` → `i32`; `int64` or no format → `i64`.
    Integer {
        bits: u8,
    },
    /// `float` → `f32`; `double` or no format → `f64`.
    Number {
        bits: u8,
    },
    Boolean,
    /// A free-form object (`additionalProperties: true` or no properties).
    Map,
    /// A schema that constrains nothing (`{}`).
    Any,
    Array(Box<TypeRef>),
    /// A type in `Api::types`.
    Named(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub description: Option<String>,
    /// Where it was defined, as a JSON pointer: named in collision errors.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; unless it is in `Api::closed_enums`, the generated Rust
    /// enum also has an `Unknown(UnknownValue)` variant.
    Enum(Vec<EnumValue>),
    /// `oneOf`/`anyOf` with a `discriminator`: the variant is chosen by the value
    /// of one property, and a value no variant claims is kept whole.
    Tagged(Tagged),
    /// `oneOf`/`anyOf` without a `discriminator`: the first variant that decodes.
    Untagged(Untagged),
    /// A map with typed values (`additionalProperties: {schema}`) or a list of
    /// nullable items: a type alias of a `BTreeMap` or a `Vec`.
    Alias(Alias),
}

impl TypeKind {
    /// The types a value of this one holds: fields (and the map of other
    /// properties), variants, or the items of an alias.
    pub fn holds(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(shape) => {
                shape.fields.iter().map(|field| &field.ty).chain(shape.rest.as_ref().map(|rest| &rest.item)).collect()
            }
            TypeKind::Enum(_) => Vec::new(),
            TypeKind::Tagged(union) => union.variants.iter().map(|variant| &variant.ty).collect(),
            TypeKind::Untagged(union) => union.variants.iter().map(|variant| &variant.ty).collect(),
            TypeKind::Alias(alias) => vec![&alias.item],
        }
    }

    /// What `holds` gives, to change in place.
    pub fn holds_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct(shape) => shape
                .fields
                .iter_mut()
                .map(|field| &mut field.ty)
                .chain(shape.rest.as_mut().map(|rest| &mut rest.item))
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
            TypeKind::Tagged(union) => union.variants.iter_mut().map(|variant| &mut variant.ty).collect(),
            TypeKind::Untagged(union) => union.variants.iter_mut().map(|variant| &mut variant.ty).collect(),
            TypeKind::Alias(alias) => vec![&mut alias.item],
        }
    }
}

/// The name of the catch-all variant of open enums and tagged unions. A spec
/// value or variant that would take it gets a trailing `_`, as a keyword does.
pub const CATCH_ALL: &str = "Unknown";

#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    /// The wire name of the property that tells the variants apart.
    pub property: String,
    /// In decoding order (the spec's).
    pub variants: Vec<TaggedVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// The Rust variant name (from the `$ref`'d schema, a `title` or the tag).
    pub name: String,
    /// The property values that select it (several when the `mapping` says so).
    pub tags: Vec<String>,
    /// A struct in `Api::types`.
    pub ty: TypeRef,
    /// Held through a `Box`: the variant's type contains the union itself.
    pub boxed: bool,
    /// Whether the struct has the property as a field of its own, so that
    /// serialising it writes the tag; otherwise the union adds `tags[0]`.
    pub carries_tag: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Untagged {
    /// In decoding order: the most specific first (see `lower`).
    pub variants: Vec<UntaggedVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// The Rust variant name (from the `$ref`'d schema, a `title`, a constant
    /// property or the type).
    pub name: String,
    pub ty: TypeRef,
    pub boxed: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    pub container: Container,
    /// The value (map) or item (list) type.
    pub item: TypeRef,
    /// Whether values or items may be `null` (`Option<item>`).
    pub nullable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// `BTreeMap<String, item>`.
    Map,
    /// `Vec<item>`.
    List,
}

impl Alias {
    /// The aliased type, as the API-surface listing shows it.
    pub fn rust(&self, models: &str) -> String {
        let item = self.item.rust(models);
        let item = if self.nullable { format!("Option<{item}>") } else { item };
        match self.container {
            Container::Map => format!("BTreeMap<String, {item}>"),
            Container::List => format!("Vec<{item}>"),
        }
    }
}

/// The most required fields a struct takes as positional arguments of `new`;
/// one with more is built by name (`X::builder()…build()`).
pub const MAX_POSITIONAL: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Whether every field may be left out, so the struct can derive `Default`.
    pub all_optional: bool,
    /// Whether callers build it (a request body): it then gets a `new` taking the
    /// required fields.
    pub constructor: bool,
    /// The properties the spec does not name, when `additionalProperties` gives
    /// them a schema: a `#[serde(flatten)]` map beside the fields.
    pub rest: Option<Rest>,
}

/// The other properties of an object with `properties` and a typed
/// `additionalProperties`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rest {
    /// The field's Rust name (`additional_properties`, unless a property has it).
    pub rust_name: String,
    pub item: TypeRef,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub wire: String,
    pub variant: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Held through a `Box`: the field's type contains the struct itself.
    pub boxed: bool,
    pub description: Option<String>,
    pub default: Option<serde_json::Value>,
    pub bounds: Bounds,
    pub deprecated: bool,
    /// `readOnly` in a type that is sent in a request body: decoded, never sent,
    /// and optional in Rust (a value the caller builds has none).
    pub read_only: bool,
}

impl TypeRef {
    /// The Rust spelling of the type, as the API-surface listing shows it; named
    /// types are prefixed with `models` (`""` inside the models module,
    /// `"models::"` elsewhere). The emitters build tokens instead (`emit::types`).
    pub fn rust(&self, models: &str) -> String {
        match self {
            TypeRef::String => "String".to_owned(),
            TypeRef::Integer { bits } => format!("i{bits}"),
            TypeRef::Number { bits } => format!("f{bits}"),
            TypeRef::Boolean => "bool".to_owned(),
            TypeRef::Map => "serde_json::Map<String, serde_json::Value>".to_owned(),
            TypeRef::Any => "serde_json::Value".to_owned(),
            TypeRef::Array(item) => format!("Vec<{}>", item.rust(models)),
            TypeRef::Named(name) => format!("{models}{name}"),
        }
    }
}

impl TypeRef {
    /// The named type inside, if any (`Vec<Vec<X>>` → `X`).
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Array(item) => item.named(),
            _ => None,
        }
    }
}

impl Field {
    /// How many `Option`s wrap the field's type: none when required and not
    /// nullable (`T`); one when required but nullable, or optional
    /// (`Option<T>`); two when optional and nullable (`Option<Option<T>>`), so
    /// that "left out" (`None`) and "sent as null" (`Some(None)`) stay
    /// different. The one home of this rule: the emitter, the surface listing
    /// and the nesting count all ask here.
    pub fn options(&self) -> usize {
        match (self.required, self.nullable) {
            (true, false) => 0,
            (true, true) | (false, false) => 1,
            (false, true) => 2,
        }
    }

    /// The field's Rust type as text (see `options`).
    pub fn rust_type(&self, models: &str) -> String {
        let inner = self.ty.rust(models);
        let inner = if self.boxed { format!("Box<{inner}>") } else { inner };
        (0..self.options()).fold(inner, |inner, _| format!("Option<{inner}>"))
    }
}

impl Param {
    /// A query parameter's field type: `T` when required, else `Option<T>`.
    pub fn rust_type(&self, models: &str) -> String {
        let inner = self.ty.rust(models);
        if self.required {
            inner
        } else {
            format!("Option<{inner}>")
        }
    }
}

/// `x-speakeasy-retries` with `strategy: backoff`, at the root or on one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    pub initial_interval_ms: u64,
    pub max_interval_ms: u64,
    pub max_elapsed_ms: u64,
    pub exponent: f64,
    /// `5XX`, `429`, … as written in the spec.
    pub status_codes: Vec<String>,
    pub retry_connection_errors: bool,
}

/// When a failed call may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetrySafety {
    /// Repeating it cannot create anything: retried on every condition the policy names.
    Idempotent,
    /// It may create (and send e-mail): retried only when the request provably never
    /// reached the server (connection refused) or the server answered 429.
    UnsentOnly,
}

/// An offset-paginated list: `limit`/`offset` query parameters and a response
/// that is a page of items, as `data: Vec<Item>` beside `total_count`, or the
/// bare list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The Rust names of the `limit` and `offset` parameters.
    pub limit: String,
    pub offset: String,
    /// Where the response holds a page's items.
    pub page: PageShape,
    /// The item type (a struct in `Api::types`).
    pub item: String,
    /// Its required string `id` field, used to drop items seen on an earlier page.
    pub key: Option<String>,
    /// The page size used when the caller sets no `limit`: the spec's maximum.
    pub page_size: i64,
}

/// How a list response holds its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageShape {
    /// An object with the items in `data` and the list's size in `total_count`
    /// (their Rust field names): the list ends at `total_count` too.
    Envelope { data: String, total_count: String },
    /// The items themselves (Clerk's `GetUserList`): with no total, the list
    /// ends at a short or an empty page.
    Array,
}
