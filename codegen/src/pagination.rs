//! Which list operations can be paginated automatically, read off the IR: a
//! `limit` and an `offset` integer query parameter, and a success type that is
//! a page of items: `data: Vec<Item>` with a required integer `total_count`,
//! or the bare `Vec<Item>` (Clerk's `GetUserList`, which gives no total).

use std::collections::BTreeMap;

use crate::ir::{Operation, Output, PageShape, Pagination, TypeDef, TypeKind, TypeRef};

/// The page size when neither the caller nor the spec's maximum sets one.
const FALLBACK_PAGE_SIZE: i64 = 100;

pub fn detect(operation: &Operation, types: &BTreeMap<String, TypeDef>) -> Option<Pagination> {
    let query = operation.query.as_ref()?;
    // `i64` throughout, so the runtime's offsets and counts need no conversion.
    let integer = |name: &str| {
        query.params.iter().find(|param| param.wire_name == name && param.ty == TypeRef::Integer { bits: 64 })
    };
    let limit = integer("limit")?;
    let offset = integer("offset")?;
    let Output::Json(ty) = &operation.output else { return None };
    let (page, item) = match ty {
        TypeRef::Array(item) => (PageShape::Array, item.as_ref()),
        _ => {
            let fields = struct_fields(types, ty)?;
            let total = fields.iter().find(|field| field.wire_name == "total_count")?;
            if !total.required || total.nullable || total.ty != (TypeRef::Integer { bits: 64 }) {
                return None;
            }
            let data = fields.iter().find(|field| field.wire_name == "data" && field.required && !field.nullable)?;
            let TypeRef::Array(item) = &data.ty else { return None };
            let page = PageShape::Envelope { data: data.rust_name.clone(), total_count: total.rust_name.clone() };
            (page, item.as_ref())
        }
    };
    let TypeRef::Named(item) = item else { return None };
    let key = struct_fields(types, &TypeRef::Named(item.clone()))?
        .iter()
        .find(|field| field.wire_name == "id" && field.required && !field.nullable && field.ty == TypeRef::String)
        .map(|field| field.rust_name.clone());
    Some(Pagination {
        limit: limit.rust_name.clone(),
        offset: offset.rust_name.clone(),
        page,
        item: item.clone(),
        key,
        page_size: limit.bounds.max.unwrap_or(FALLBACK_PAGE_SIZE),
    })
}

fn struct_fields<'t>(types: &'t BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<&'t [crate::ir::Field]> {
    let TypeRef::Named(name) = ty else { return None };
    match &types.get(name)?.kind {
        TypeKind::Struct(shape) => Some(&shape.fields),
        _ => None,
    }
}
