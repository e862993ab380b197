//! A hash of a value as serde sees it: what `serve` compares to tell
//! whether a template's context changed since the last render.
//!
//! [`hash_serialized`] walks the value with serde, as the template engine
//! does when it builds a context (fields serde skips are not seen), and
//! feeds every name and value into a [`Hasher`]: no JSON text is made or
//! escaped, and the bytes go to the hasher in large pieces (hashers pay
//! for each call). Each value is preceded by a tag for its
//! kind, and each string and sequence by its length, so that two different
//! values do not feed the same bytes (`["ab"]` and `["a", "b"]`, a missing
//! field and an empty one).

use std::fmt::Display;
use std::hash::Hasher;

use serde::ser::{self, Serialize};

/// The hasher for fingerprints: fast on the many values a rebuild hashes,
/// and the same for the same bytes for as long as `serve` runs (the
/// fingerprints are only ever compared within one process).
pub(crate) fn fingerprint_hasher() -> impl Hasher {
    use std::hash::BuildHasher;
    ahash::RandomState::with_seeds(0x6734_3073, 0x6974_6521, 0x6669_6e67, 0x6572_7072)
        .build_hasher()
}

/// Feed `value`, as serde serialises it, into `h`. `None` if the value
/// cannot be serialised (its `Serialize` reported an error).
pub(crate) fn hash_serialized(value: &impl Serialize, h: &mut impl Hasher) -> Option<()> {
    let mut feed = Feed {
        hasher: h,
        bytes: Vec::with_capacity(4096),
    };
    value.serialize(&mut feed).ok()?;
    feed.hasher.write(&feed.bytes);
    Some(())
}

/// The serializer: every call adds a tag and the value's bytes to
/// `bytes`, which go to the hasher whenever they fill a piece.
struct Feed<'h, H> {
    hasher: &'h mut H,
    bytes: Vec<u8>,
}

/// How many bytes are handed to the hasher at once.
const PIECE: usize = 64 * 1024;

/// Tags, one per kind of value.
mod tag {
    pub(super) const BOOL: u8 = 1;
    pub(super) const INT: u8 = 2;
    pub(super) const UINT: u8 = 3;
    pub(super) const FLOAT: u8 = 4;
    pub(super) const STR: u8 = 5;
    pub(super) const BYTES: u8 = 6;
    pub(super) const NONE: u8 = 7;
    pub(super) const SOME: u8 = 8;
    pub(super) const UNIT: u8 = 9;
    pub(super) const VARIANT: u8 = 10;
    pub(super) const SEQ: u8 = 11;
    pub(super) const MAP: u8 = 12;
    pub(super) const STRUCT: u8 = 13;
    pub(super) const END: u8 = 14;
    pub(super) const SKIPPED: u8 = 15;
}

impl<H: Hasher> Feed<'_, H> {
    fn write(&mut self, bytes: &[u8]) {
        if self.bytes.len() + bytes.len() > PIECE {
            self.hasher.write(&self.bytes);
            self.bytes.clear();
        }
        if bytes.len() > PIECE {
            self.hasher.write(bytes);
        } else {
            self.bytes.extend_from_slice(bytes);
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write(&[n]);
    }

    fn write_u64(&mut self, n: u64) {
        self.write(&n.to_le_bytes());
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn str(&mut self, s: &str) {
        self.write_u8(tag::STR);
        self.write_usize(s.len());
        self.write(s.as_bytes());
    }

    fn start(&mut self, tag: u8, len: Option<usize>) {
        self.write_u8(tag);
        // An unknown length is told by the END tag alone.
        self.write_usize(len.map_or(usize::MAX, |n| n));
    }

    fn variant(&mut self, index: u32, name: &str) {
        self.write_u8(tag::VARIANT);
        self.write(&index.to_le_bytes());
        self.str(name);
    }
}

/// An error of a value's own `Serialize` (the feed itself never fails).
#[derive(Debug)]
pub(crate) struct Unserializable(String);

impl Display for Unserializable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unserializable {}

impl ser::Error for Unserializable {
    fn custom<T: Display>(msg: T) -> Self {
        Unserializable(msg.to_string())
    }
}

type Done = Result<(), Unserializable>;

/// `serialize_<int>` methods: the kind's tag, then the value widened to
/// 128 bits.
macro_rules! integers {
    ($($($method:ident($ty:ty)),+ => $wide:ty as $tag:ident);+) => {$($(
        fn $method(self, v: $ty) -> Done {
            self.write_u8(tag::$tag);
            self.write(&<$wide>::from(v).to_le_bytes());
            Ok(())
        }
    )+)+};
}

impl<H: Hasher> ser::Serializer for &mut Feed<'_, H> {
    type Ok = ();
    type Error = Unserializable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.write_u8(tag::BOOL);
        self.write_u8(v as u8);
        Ok(())
    }
    // Integers of every width as the widest, so that a number hashes the
    // same whatever type holds it.
    integers! {
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_i128(i128) => i128 as INT;
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_u128(u128) => u128 as UINT
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.write_u8(tag::FLOAT);
        self.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.str(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.write_u8(tag::BYTES);
        self.write_usize(v.len());
        self.write(v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.write_u8(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Done {
        self.write_u8(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.write_u8(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Done {
        self.variant(index, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.variant(index, variant);
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Unserializable> {
        self.start(tag::SEQ, len);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Unserializable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self, Unserializable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Unserializable> {
        self.variant(index, variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, Unserializable> {
        self.start(tag::MAP, len);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, Unserializable> {
        self.start(tag::STRUCT, Some(len));
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Unserializable> {
        self.variant(index, variant);
        self.serialize_struct(variant, len)
    }
}

impl<H: Hasher> Feed<'_, H> {
    fn end(&mut self) -> Done {
        self.write_u8(tag::END);
        Ok(())
    }
}

/// The four kinds of sequence: each element fed in turn, then the end.
macro_rules! sequence {
    ($($kind:ident :: $element:ident),*) => {$(
        impl<H: Hasher> ser::$kind for &mut Feed<'_, H> {
            type Ok = ();
            type Error = Unserializable;
            fn $element<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                Feed::end(self)
            }
        }
    )*};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<H: Hasher> ser::SerializeMap for &mut Feed<'_, H> {
    type Ok = ();
    type Error = Unserializable;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

impl<H: Hasher> ser::SerializeStruct for &mut Feed<'_, H> {
    type Ok = ();
    type Error = Unserializable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Done {
        self.str(key);
        value.serialize(&mut **self)
    }
    fn skip_field(&mut self, key: &'static str) -> Done {
        self.write_u8(tag::SKIPPED);
        self.str(key);
        Ok(())
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

impl<H: Hasher> ser::SerializeStructVariant for &mut Feed<'_, H> {
    type Ok = ();
    type Error = Unserializable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Done {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Done {
        ser::SerializeStruct::skip_field(self, key)
    }
    fn end(self) -> Done {
        Feed::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn hash(value: &impl Serialize) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        hash_serialized(value, &mut h).expect("serialisable");
        h.finish()
    }

    #[derive(serde::Serialize)]
    struct Item {
        title: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
    }

    fn item(title: &str, date: Option<&str>, summary: Option<&str>) -> Item {
        Item {
            title: title.into(),
            date: date.map(Into::into),
            summary: summary.map(Into::into),
        }
    }

    #[test]
    fn equal_values_hash_equal_and_any_change_shows() {
        let a = vec![item("Economie", Some("2026-01-02"), None)];
        assert_eq!(
            hash(&a),
            hash(&vec![item("Economie", Some("2026-01-02"), None)])
        );
        assert_ne!(
            hash(&a),
            hash(&vec![item("Economie", Some("2026-01-03"), None)])
        );
        assert_ne!(hash(&a), hash(&vec![item("Economie", None, None)]));
    }

    #[test]
    fn values_that_would_run_together_do_not_collide() {
        // Strings split differently.
        assert_ne!(hash(&vec!["ab"]), hash(&vec!["a", "b"]));
        assert_ne!(hash(&("a", "bc")), hash(&("ab", "c")));
        // The same text in a different skipped field.
        assert_ne!(
            hash(&item("x", Some("d"), None)),
            hash(&item("x", None, Some("d")))
        );
        // Nesting: [[1], [2]] against [[1, 2]].
        assert_ne!(hash(&vec![vec![1], vec![2]]), hash(&vec![vec![1, 2]]));
        // A key and a value trading places.
        let one: BTreeMap<&str, &str> = [("a", "b")].into();
        let other: BTreeMap<&str, &str> = [("b", "a")].into();
        assert_ne!(hash(&one), hash(&other));
        // None against an empty string, 0 against false.
        assert_ne!(hash(&None::<&str>), hash(&Some("")));
        assert_ne!(hash(&0u8), hash(&false));
        assert_ne!(hash(&1u8), hash(&1i8));
    }

    #[test]
    fn a_number_hashes_the_same_whatever_holds_it() {
        assert_eq!(hash(&7u8), hash(&7u64));
        assert_eq!(hash(&-7i16), hash(&-7i128));
    }

    #[test]
    fn a_failing_serialize_gives_none() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("cannot"))
            }
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        assert_eq!(hash_serialized(&Broken, &mut h), None);
    }
}
