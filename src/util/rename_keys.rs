//! Renaming struct keys while deserialising, so that a site can choose the
//! names of some front-matter fields (`opgavegroepen:` for what the code
//! calls `themagroepen`) without losing the YAML library's positions.
//!
//! [`Renamed`] wraps any serde deserializer. Where a struct is read whose
//! fields include one of the internal names, keys are mapped through
//! [`KeyNames`] before the struct sees them: an external name becomes its
//! internal one, and an internal name that the site does not use is
//! *shadowed* (given a marker the struct rejects as unknown, so that
//! `themagroepen:` is an error on a site that calls them `opgavegroepen`).
//! Everything else, free-form values (`extra:`) included, passes through
//! untouched. Errors are raised by the wrapped deserializer, so they keep
//! their line and column.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

/// Prefix of a shadowed key as the struct sees it; [`KeyNames::external_message`]
/// takes it out of error messages again.
const SHADOW: char = '\u{1}';

/// Which keys to rename. Empty by default: then deserialising is exactly
/// as without the wrapper.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeyNames {
    /// (external, internal): an editor's key and the field it fills.
    pairs: Vec<(String, String)>,
    /// Internal names that are not also external ones: rejected as keys.
    shadowed: Vec<String>,
}

impl KeyNames {
    /// Rename `external` to `internal` (both may be equal).
    pub(crate) fn rename(&mut self, external: &str, internal: &str) {
        if !self.pairs.iter().any(|(e, _)| e == external) {
            self.pairs
                .push((external.to_string(), internal.to_string()));
        }
        self.shadowed.retain(|s| s != external);
    }

    /// Reject `internal` as a key unless it is also an external name.
    pub(crate) fn shadow(&mut self, internal: &str) {
        if !self.pairs.iter().any(|(e, _)| e == internal)
            && !self.shadowed.iter().any(|s| s == internal)
        {
            self.shadowed.push(internal.to_string());
        }
    }

    /// Whether nothing is renamed.
    pub(crate) fn is_empty(&self) -> bool {
        self.pairs.iter().all(|(e, i)| e == i) && self.shadowed.is_empty()
    }

    fn applies_to(&self, fields: &[&str]) -> bool {
        !self.is_empty()
            && fields.iter().any(|f| {
                self.pairs.iter().any(|(_, i)| i == f) || self.shadowed.iter().any(|s| s == f)
            })
    }

    fn map<'a>(&'a self, key: &'a str) -> std::borrow::Cow<'a, str> {
        if let Some((_, internal)) = self.pairs.iter().find(|(e, _)| e == key) {
            return internal.as_str().into();
        }
        if self.shadowed.iter().any(|s| s == key) {
            return format!("{SHADOW}{key}").into();
        }
        key.into()
    }

    /// An error message of the struct, in the editor's names: internal names
    /// in "expected one of" lists become the first external name that fills
    /// them, and a shadowed key is shown as written.
    pub(crate) fn external_message(&self, message: &str) -> String {
        if self.is_empty() {
            return message.to_string();
        }
        let mut out = message.to_string();
        let mut done: Vec<&str> = Vec::new();
        for (external, internal) in &self.pairs {
            if external == internal || done.contains(&internal.as_str()) {
                continue;
            }
            done.push(internal);
            out = out.replace(&format!("`{internal}`"), &format!("`{external}`"));
        }
        out.replace(&format!("`{SHADOW}"), "`")
    }
}

/// A deserializer whose structs see their keys through [`KeyNames`].
pub(crate) struct Renamed<'k, D> {
    inner: D,
    keys: &'k KeyNames,
}

impl<'k, D> Renamed<'k, D> {
    /// Wrap `inner`.
    pub(crate) fn new(inner: D, keys: &'k KeyNames) -> Self {
        Renamed { inner, keys }
    }
}

/// A visitor that wraps whatever it is given, so that structs nested in
/// lists, options and other structs are reached too.
struct Pass<'k, V> {
    inner: V,
    keys: &'k KeyNames,
    /// Rename the keys of the map this visitor receives (it is a struct
    /// with renamed fields).
    rename: bool,
}

macro_rules! forward_deserialize {
    ($($method:ident),*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.inner.$method(Pass { inner: visitor, keys: self.keys, rename: false })
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Renamed<'_, D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let pass = self.pass(visitor);
        self.inner.deserialize_unit_struct(name, pass)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let pass = self.pass(visitor);
        self.inner.deserialize_newtype_struct(name, pass)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let pass = self.pass(visitor);
        self.inner.deserialize_tuple(len, pass)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let pass = self.pass(visitor);
        self.inner.deserialize_tuple_struct(name, len, pass)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let rename = self.keys.applies_to(fields);
        let keys = self.keys;
        self.inner.deserialize_struct(
            name,
            fields,
            Pass {
                inner: visitor,
                keys,
                rename,
            },
        )
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        // Enums here are plain words (`kind: plenary`): nothing to rename.
        self.inner.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

impl<'k, D> Renamed<'k, D> {
    fn pass<V>(&self, visitor: V) -> Pass<'k, V> {
        Pass {
            inner: visitor,
            keys: self.keys,
            rename: false,
        }
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),*) => {
        $(fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.inner.$method(v)
        })*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Pass<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>)
    );

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.inner.visit_some(Renamed::new(d, self.keys))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.inner.visit_newtype_struct(Renamed::new(d, self.keys))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_seq(Seq {
            inner: seq,
            keys: self.keys,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_map(Map {
            inner: map,
            keys: self.keys,
            rename: self.rename,
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_enum(data)
    }
}

/// A list whose items are read through [`Renamed`].
struct Seq<'k, A> {
    inner: A,
    keys: &'k KeyNames,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(Value {
            inner: seed,
            keys: self.keys,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A map whose values are read through [`Renamed`], and whose keys are
/// renamed when it is a struct with renamed fields.
struct Map<'k, A> {
    inner: A,
    keys: &'k KeyNames,
    rename: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if self.rename {
            self.inner.next_key_seed(Key {
                inner: seed,
                keys: self.keys,
            })
        } else {
            self.inner.next_key_seed(seed)
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.next_value_seed(Value {
            inner: seed,
            keys: self.keys,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A value seed that reads through [`Renamed`].
struct Value<'k, T> {
    inner: T,
    keys: &'k KeyNames,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Value<'_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T::Value, D::Error> {
        self.inner.deserialize(Renamed::new(d, self.keys))
    }
}

/// A key seed that maps the key's text through [`KeyNames`].
struct Key<'k, T> {
    inner: T,
    keys: &'k KeyNames,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Key<'_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T::Value, D::Error> {
        // The struct sees the key inside the wrapped deserializer's own call,
        // so that its "unknown field" error gets the key's position.
        d.deserialize_identifier(KeyText {
            inner: self.inner,
            keys: self.keys,
        })
    }
}

/// Reads a key's text and hands the mapped name to the struct.
struct KeyText<'k, T> {
    inner: T,
    keys: &'k KeyNames,
}

impl<'de, T: DeserializeSeed<'de>> Visitor<'de> for KeyText<'_, T> {
    type Value = T::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<T::Value, E> {
        let mapped = self.keys.map(key).into_owned();
        self.inner
            .deserialize(de::value::StringDeserializer::<E>::new(mapped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        title: String,
        #[serde(default)]
        themagroepen: Vec<String>,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        extra: Option<serde_yaml::Value>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        #[serde(default)]
        themagroepen: Vec<String>,
    }

    fn names() -> KeyNames {
        let mut k = KeyNames::default();
        k.rename("opgavegroepen", "themagroepen");
        k.shadow("themagroepen");
        k
    }

    fn parse(text: &str, keys: &KeyNames) -> Result<Doc, String> {
        Doc::deserialize(Renamed::new(serde_yaml::Deserializer::from_str(text), keys))
            .map_err(|e| keys.external_message(&e.to_string()))
    }

    #[test]
    fn renames_at_every_depth_but_not_inside_free_values() {
        let text = "title: x\nopgavegroepen: [a]\nitems:\n  - opgavegroepen: [b]\nextra: { opgavegroepen: 1 }\n";
        let doc = parse(text, &names()).unwrap();
        assert_eq!(doc.themagroepen, ["a"]);
        assert_eq!(doc.items[0].themagroepen, ["b"]);
        let extra = doc.extra.unwrap();
        assert!(extra.get("opgavegroepen").is_some(), "{extra:?}");
    }

    #[test]
    fn a_shadowed_name_is_unknown_with_the_position_and_the_external_list() {
        let err = parse("title: x\nthemagroepen: [a]\n", &names()).unwrap_err();
        assert!(err.starts_with("unknown field `themagroepen`"), "{err}");
        assert!(err.contains("`opgavegroepen`"), "{err}");
        assert!(!err.contains('\u{1}'), "{err}");
        assert!(err.contains("line 2 column 1"), "{err}");
    }

    #[test]
    fn without_names_nothing_changes() {
        let keys = KeyNames::default();
        assert!(keys.is_empty());
        let doc = parse("title: x\nthemagroepen: [a]\n", &keys).unwrap();
        assert_eq!(doc.themagroepen, ["a"]);
        let err = parse("title: x\nopgavegroepen: [a]\n", &keys).unwrap_err();
        assert!(err.contains("unknown field `opgavegroepen`"), "{err}");
    }

    #[test]
    fn type_errors_keep_their_position() {
        let err = parse("title: x\nopgavegroepen: 3\n", &names()).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }
}
