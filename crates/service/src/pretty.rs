//! Pretty-printed JSON, byte for byte as `serde_json::to_writer_pretty` writes it (two spaces a
//! level, `": "` after a key, no trailing newline), with less work per byte: the service writes
//! a determination of about 29 KB for every request (`determine::determination_json`).
//!
//! Two costs of `serde_json`'s own serializer are avoided:
//!
//! - **String escaping.** `serde_json` looks each byte of every string up in a 256-entry table
//!   (`format_escaped_str_contents`); [`write_str`] tests eight bytes at a time for the bytes
//!   JSON needs escaped (RFC 8259 section 7: `"`, `\` and the controls U+0000 to U+001F) and
//!   copies a string without any whole (nearly every string of a determination), and the runs
//!   between them otherwise. Escapes are written by `serde_json`'s own
//!   [`Formatter::write_char_escape`], so `\n`, `\u001f` and the others are its bytes.
//! - **Indentation.** `serde_json`'s `PrettyFormatter` writes a line's indentation one level at
//!   a time; [`Pretty`] writes the line break and indentation in one piece.
//!
//! Numbers, `null` and booleans are written by `serde_json`'s [`Formatter`] (itoa, ryu), and
//! the structure follows `serde_json::Serializer` call for call. What this serializer does not
//! handle the way `serde_json` does, it refuses (an error, never other bytes): map keys other
//! than strings, chars and unit variants, and `serde_json`'s private `RawValue` and `Number`
//! structs. [`to_vec_pretty`] then writes the value with `serde_json` itself.

use serde::ser::{self, Serialize};
use serde_json::ser::{CharEscape, Formatter};

/// A catalog product's JSON as a determination's `inputs.product` holds it, pretty-printed at
/// that depth (its lines indented three levels, [`Splice::PRODUCT_LEVEL`] plus one), written
/// once when the pack is loaded ([`crate::pack::LoadedPack`]) rather than for every
/// determination of that product: about 3 KB of the 30 KB an H20 determination's JSON holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    product: Vec<u8>,
}

impl Splice {
    /// The level `inputs.product` sits at in a determination (the determination's own fields
    /// are at level 1, those of `inputs` at level 2).
    const PRODUCT_LEVEL: usize = 2;

    /// `product` written as a determination's `inputs.product` holds it (byte for byte what
    /// [`to_vec_pretty`] writes there for the same product).
    ///
    /// # Errors
    /// [`serde_json::Error`] when this serializer refuses the product (see the module): then the
    /// product is written with each determination, as without a splice.
    pub fn of(product: &export_controls::model::Product) -> std::result::Result<Splice, serde_json::Error> {
        let mut out = Vec::with_capacity(4096);
        let mut ser = Serializer {
            out: &mut out,
            fmt: Pretty { level: Self::PRODUCT_LEVEL, has_value: false },
            splice: None,
            trace: None,
            top_key: "",
        };
        product.serialize(&mut ser)?;
        Ok(Splice { product: out })
    }
}

/// Writes a determination's `trace` (the value of its top-level field, from `[` to `]`),
/// byte for byte as `serde_json::to_writer_pretty` writes it there
/// ([`export_controls::Explained::write_trace_json`]).
pub type WriteTrace<'t> = &'t dyn Fn(&mut Vec<u8>);

/// `value` as pretty-printed JSON, byte for byte `serde_json::to_writer_pretty`'s, appended to
/// `out` (no final newline). A value whose serialization fails (`serde_json` fails too: a map
/// with keys that are not strings, a `Serialize` impl that fails) leaves `out` as it was and
/// gives the error.
///
/// With `splice`, `value` must be a determination ([`export_controls::Determination`] or the
/// explained form it is written from) whose `inputs.product` is the product `splice` was made
/// of: those bytes are copied in rather than the product serialised again (the caller vouches
/// that the products are equal: the output is otherwise wrong).
///
/// With `trace`, the top-level `trace` field's value is written by `trace` rather than
/// serialised (the caller vouches that `trace` writes the same bytes as serialising `value`'s
/// trace would: the output is otherwise wrong).
///
/// # Errors
/// [`serde_json::Error`] as `serde_json::to_writer_pretty` gives it.
pub fn to_vec_pretty(
    out: &mut Vec<u8>,
    value: &(impl Serialize + ?Sized),
    splice: Option<&Splice>,
    trace: Option<WriteTrace<'_>>,
) -> std::result::Result<(), serde_json::Error> {
    let start = out.len();
    let mut ser = Serializer { out, fmt: Pretty::default(), splice, trace, top_key: "" };
    if value.serialize(&mut ser).is_ok() {
        return Ok(());
    }
    // Something this serializer refuses (see the module): serde_json's own, from the start.
    out.truncate(start);
    let r = value.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, Pretty::default()));
    if r.is_err() {
        out.truncate(start);
    }
    r
}

/// Bytes that JSON strings must escape (RFC 8259 section 7), as `serde_json` escapes them.
fn escape(byte: u8) -> Option<CharEscape> {
    Some(match byte {
        b'"' => CharEscape::Quote,
        b'\\' => CharEscape::ReverseSolidus,
        0x08 => CharEscape::Backspace,
        0x09 => CharEscape::Tab,
        0x0A => CharEscape::LineFeed,
        0x0C => CharEscape::FormFeed,
        0x0D => CharEscape::CarriageReturn,
        0x00..=0x1F => CharEscape::AsciiControl(byte),
        _ => return None,
    })
}

/// Writes `s` as a JSON string (quotes included), escaping as `serde_json` does: a string
/// with nothing to escape (nearly every one in a determination) is copied whole.
pub fn write_str(out: &mut Vec<u8>, fmt: &mut Pretty, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    write_contents(out, fmt, s);
    out.push(b'"');
}

/// Writes `s` escaped as the inside of a JSON string (no quotes): a string's whole text, or a
/// piece of it (escaping is by character, so the pieces written one after the other are the
/// whole written at once).
fn write_contents(out: &mut Vec<u8>, fmt: &mut Pretty, s: &str) {
    let bytes = s.as_bytes();
    if export_controls::evaluate::json_string_needs_escape(bytes) {
        // Runs between the bytes to escape, copied whole.
        let mut run = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if let Some(e) = escape(b) {
                out.extend_from_slice(bytes.get(run..i).unwrap_or_default());
                // Writing to memory does not fail.
                let _ = fmt.write_char_escape(out, e);
                run = i + 1;
            }
        }
        out.extend_from_slice(bytes.get(run..).unwrap_or_default());
    } else {
        out.extend_from_slice(bytes);
    }
}

/// A string's text written into the output as it is formatted (`collect_str`), escaped piece by
/// piece ([`write_contents`]).
struct Escaped<'o> {
    out: &'o mut Vec<u8>,
    fmt: &'o mut Pretty,
}

impl std::fmt::Write for Escaped<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        write_contents(self.out, self.fmt, s);
        Ok(())
    }
}

/// A line break and the indentation of the deepest levels [`Pretty`] writes in one piece.
const BREAK_AND_INDENT: &[u8; 1 + 2 * 32] = b"\n                                                                ";

/// `serde_json`'s `PrettyFormatter` (two spaces a level), byte for byte, writing each line
/// break with its indentation in one `write_all` rather than one per level: a determination
/// of about 29 KB has about 1,100 lines, most of them five or more levels deep.
#[derive(Default)]
pub struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    fn break_line<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        match BREAK_AND_INDENT.get(..1 + 2 * self.level) {
            Some(b) => w.write_all(b),
            None => {
                w.write_all(b"\n")?;
                (0..self.level).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// An array or object opens (`bracket` is `[` or `{`): one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// An array or object closes (`bracket` is `]` or `}`), on a line of its own unless empty.
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.break_line(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an element or a key: a comma unless `first`, then a new line.
    fn next_line<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.break_line(w)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.next_line(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.next_line(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The serializer: `serde_json::Serializer<&mut Vec<u8>, Pretty>` with [`write_str`] for
/// strings and keys.
struct Serializer<'a> {
    out: &'a mut Vec<u8>,
    fmt: Pretty,
    /// A catalog product's `inputs.product`, written once ([`to_vec_pretty`]).
    splice: Option<&'a Splice>,
    /// Writes the top-level `trace` field's value ([`to_vec_pretty`]).
    trace: Option<WriteTrace<'a>>,
    /// The key of the top-level struct's field being written (`inputs` when its fields are).
    top_key: &'static str,
}

type Result<T = ()> = std::result::Result<T, serde_json::Error>;

/// A write to memory does not fail; the formatter's `io::Result` is mapped all the same.
fn io(r: std::io::Result<()>) -> Result {
    r.map_err(serde_json::Error::io)
}

/// What this serializer leaves to `serde_json` ([`to_vec_pretty`] then uses it).
fn refused() -> serde_json::Error {
    ser::Error::custom("left to serde_json")
}

impl<'a> Serializer<'a> {
    /// `{"variant": ` as `serde_json` opens a newtype, tuple or struct variant.
    fn open_variant(&mut self, variant: &str) -> Result {
        io(self.fmt.begin_object(self.out))?;
        io(self.fmt.begin_object_key(self.out, true))?;
        write_str(self.out, &mut self.fmt, variant);
        io(self.fmt.end_object_key(self.out))?;
        io(self.fmt.begin_object_value(self.out))
    }

    /// `}` after a variant's value.
    fn close_variant(&mut self) -> Result {
        io(self.fmt.end_object_value(self.out))?;
        io(self.fmt.end_object(self.out))
    }

    fn seq<'s>(&'s mut self, len: Option<usize>, variant: bool) -> Result<Compound<'s, 'a>> {
        io(self.fmt.begin_array(self.out))?;
        let empty = len == Some(0);
        if empty {
            io(self.fmt.end_array(self.out))?;
        }
        Ok(Compound { ser: self, first: true, empty, variant })
    }

    fn map<'s>(&'s mut self, len: Option<usize>, variant: bool) -> Result<Compound<'s, 'a>> {
        io(self.fmt.begin_object(self.out))?;
        let empty = len == Some(0);
        if empty {
            io(self.fmt.end_object(self.out))?;
        }
        Ok(Compound { ser: self, first: true, empty, variant })
    }
}

/// An array or object being written: `serde_json::ser::Compound::Map`.
struct Compound<'s, 'a> {
    ser: &'s mut Serializer<'a>,
    first: bool,
    /// Opened with length 0: already closed.
    empty: bool,
    /// The value of a tuple or struct variant: the variant's object is closed after it.
    variant: bool,
}

impl Compound<'_, '_> {
    fn element(&mut self, value: &(impl Serialize + ?Sized)) -> Result {
        io(self.ser.fmt.begin_array_value(self.ser.out, self.first))?;
        self.first = false;
        value.serialize(&mut *self.ser)?;
        io(self.ser.fmt.end_array_value(self.ser.out))
    }

    fn key(&mut self, key: &(impl Serialize + ?Sized)) -> Result {
        io(self.ser.fmt.begin_object_key(self.ser.out, self.first))?;
        self.first = false;
        key.serialize(KeySerializer { ser: &mut *self.ser })?;
        io(self.ser.fmt.end_object_key(self.ser.out))
    }

    fn value(&mut self, value: &(impl Serialize + ?Sized)) -> Result {
        io(self.ser.fmt.begin_object_value(self.ser.out))?;
        value.serialize(&mut *self.ser)?;
        io(self.ser.fmt.end_object_value(self.ser.out))
    }

    fn end_array(self) -> Result {
        if !self.empty {
            io(self.ser.fmt.end_array(self.ser.out))?;
        }
        if self.variant { self.ser.close_variant() } else { Ok(()) }
    }

    fn end_object(self) -> Result {
        if !self.empty {
            io(self.ser.fmt.end_object(self.ser.out))?;
        }
        if self.variant { self.ser.close_variant() } else { Ok(()) }
    }
}

impl<'s, 'a> ser::Serializer for &'s mut Serializer<'a> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Compound<'s, 'a>;
    type SerializeTuple = Compound<'s, 'a>;
    type SerializeTupleStruct = Compound<'s, 'a>;
    type SerializeTupleVariant = Compound<'s, 'a>;
    type SerializeMap = Compound<'s, 'a>;
    type SerializeStruct = Compound<'s, 'a>;
    type SerializeStructVariant = Compound<'s, 'a>;

    fn serialize_bool(self, v: bool) -> Result {
        io(self.fmt.write_bool(self.out, v))
    }
    fn serialize_i8(self, v: i8) -> Result {
        io(self.fmt.write_i8(self.out, v))
    }
    fn serialize_i16(self, v: i16) -> Result {
        io(self.fmt.write_i16(self.out, v))
    }
    fn serialize_i32(self, v: i32) -> Result {
        io(self.fmt.write_i32(self.out, v))
    }
    fn serialize_i64(self, v: i64) -> Result {
        io(self.fmt.write_i64(self.out, v))
    }
    fn serialize_i128(self, v: i128) -> Result {
        io(self.fmt.write_i128(self.out, v))
    }
    fn serialize_u8(self, v: u8) -> Result {
        io(self.fmt.write_u8(self.out, v))
    }
    fn serialize_u16(self, v: u16) -> Result {
        io(self.fmt.write_u16(self.out, v))
    }
    fn serialize_u32(self, v: u32) -> Result {
        io(self.fmt.write_u32(self.out, v))
    }
    fn serialize_u64(self, v: u64) -> Result {
        io(self.fmt.write_u64(self.out, v))
    }
    fn serialize_u128(self, v: u128) -> Result {
        io(self.fmt.write_u128(self.out, v))
    }
    fn serialize_f32(self, v: f32) -> Result {
        if v.is_finite() { io(self.fmt.write_f32(self.out, v)) } else { self.serialize_unit() }
    }
    fn serialize_f64(self, v: f64) -> Result {
        if v.is_finite() { io(self.fmt.write_f64(self.out, v)) } else { self.serialize_unit() }
    }
    fn serialize_char(self, v: char) -> Result {
        write_str(self.out, &mut self.fmt, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result {
        write_str(self.out, &mut self.fmt, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        io(self.fmt.write_byte_array(self.out, v))
    }
    /// Written into the output as it is formatted, as `serde_json` does (no string made).
    fn collect_str<T: ?Sized + std::fmt::Display>(self, value: &T) -> Result {
        use std::fmt::Write;
        self.out.push(b'"');
        // Writing to memory does not fail; a `Display` that fails on its own is an error.
        write!(Escaped { out: &mut *self.out, fmt: &mut self.fmt }, "{value}")
            .map_err(|_| <serde_json::Error as ser::Error>::custom("a value's Display failed"))?;
        self.out.push(b'"');
        Ok(())
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        io(self.fmt.write_null(self.out))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.close_variant()
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        self.seq(len, false)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.seq(Some(len), false)
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeTupleStruct> {
        self.seq(Some(len), false)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.open_variant(variant)?;
        self.seq(Some(len), true)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap> {
        self.map(len, false)
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        // serde_json's private `RawValue` and `Number` structs are written as what they hold.
        if name.starts_with("$serde_json::") {
            return Err(refused());
        }
        self.map(Some(len), false)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.open_variant(variant)?;
        self.map(Some(len), true)
    }
}

/// The serde traits of sequences, tuples and tuple structs and variants: each element written
/// as an array's (`Compound::element`), the array closed at the end.
macro_rules! array_like {
    ($($trait:ident :: $method:ident),+) => {$(
        impl ser::$trait for Compound<'_, '_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
                self.element(value)
            }
            fn end(self) -> Result {
                self.end_array()
            }
        }
    )+};
}

array_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        self.key(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.value(value)
    }
    fn end(self) -> Result {
        self.end_object()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key)?;
        let level = self.ser.fmt.level;
        if level == 1 {
            self.ser.top_key = key;
            if key == "trace"
                && let Some(write) = self.ser.trace
            {
                io(self.ser.fmt.begin_object_value(self.ser.out))?;
                write(self.ser.out);
                return io(self.ser.fmt.end_object_value(self.ser.out));
            }
        } else if level == Splice::PRODUCT_LEVEL
            && key == "product"
            && self.ser.top_key == "inputs"
            && let Some(s) = self.ser.splice
        {
            io(self.ser.fmt.begin_object_value(self.ser.out))?;
            self.ser.out.extend_from_slice(&s.product);
            return io(self.ser.fmt.end_object_value(self.ser.out));
        }
        self.value(value)
    }
    fn end(self) -> Result {
        self.end_object()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
        self.key(key)?;
        self.value(value)
    }
    fn end(self) -> Result {
        self.end_object()
    }
}

/// A map key: a string, a char or a unit variant (or a newtype around one) is written as a
/// string, as `serde_json` writes it; any other key is refused (left to `serde_json`).
struct KeySerializer<'s, 'a> {
    ser: &'s mut Serializer<'a>,
}

impl ser::Serializer for KeySerializer<'_, '_> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = ser::Impossible<(), serde_json::Error>;
    type SerializeTuple = ser::Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = ser::Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = ser::Impossible<(), serde_json::Error>;
    type SerializeMap = ser::Impossible<(), serde_json::Error>;
    type SerializeStruct = ser::Impossible<(), serde_json::Error>;
    type SerializeStructVariant = ser::Impossible<(), serde_json::Error>;

    fn serialize_str(self, v: &str) -> Result {
        self.ser.serialize_str(v)
    }
    fn serialize_char(self, v: char) -> Result {
        self.ser.serialize_char(v)
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        self.ser.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result {
        Err(refused())
    }
    fn serialize_i8(self, _: i8) -> Result {
        Err(refused())
    }
    fn serialize_i16(self, _: i16) -> Result {
        Err(refused())
    }
    fn serialize_i32(self, _: i32) -> Result {
        Err(refused())
    }
    fn serialize_i64(self, _: i64) -> Result {
        Err(refused())
    }
    fn serialize_u8(self, _: u8) -> Result {
        Err(refused())
    }
    fn serialize_u16(self, _: u16) -> Result {
        Err(refused())
    }
    fn serialize_u32(self, _: u32) -> Result {
        Err(refused())
    }
    fn serialize_u64(self, _: u64) -> Result {
        Err(refused())
    }
    fn serialize_f32(self, _: f32) -> Result {
        Err(refused())
    }
    fn serialize_f64(self, _: f64) -> Result {
        Err(refused())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(refused())
    }
    fn serialize_none(self) -> Result {
        Err(refused())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result {
        Err(refused())
    }
    fn serialize_unit(self) -> Result {
        Err(refused())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        Err(refused())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(refused())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(refused())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(refused())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct> {
        Err(refused())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(refused())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(refused())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(refused())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(refused())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn ours(v: &(impl Serialize + ?Sized)) -> String {
        let mut out = Vec::new();
        super::to_vec_pretty(&mut out, v, None, None).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Any character: the controls, `"`, `\`, DEL, and multi-byte UTF-8 more often than at random.
    fn text() -> impl Strategy<Value = String> {
        let c = prop_oneof![
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
            Just('"'),
            Just('\\'),
            Just('\u{7f}'),
            Just('/'),
            proptest::char::range('a', 'z'),
            any::<char>(),
        ];
        proptest::collection::vec(c, 0..40).prop_map(|v| v.into_iter().collect())
    }

    /// JSON values with arbitrary strings, keys and numbers, nested.
    fn value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            text().prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                proptest::collection::vec((text(), inner), 0..6)
                    .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any string, and any string as a map key, is written byte for byte as serde_json
        /// writes it.
        #[test]
        fn strings_are_serde_jsons(s in text()) {
            prop_assert_eq!(ours(&s), serde_json::to_string_pretty(&s).unwrap());
            let map: BTreeMap<&str, &str> = [(s.as_str(), s.as_str()), ("k", "v")].into_iter().collect();
            prop_assert_eq!(ours(&map), serde_json::to_string_pretty(&map).unwrap());
        }

        /// Any JSON value (nested arrays and objects, numbers, arbitrary strings) is written
        /// byte for byte as serde_json writes it.
        #[test]
        fn values_are_serde_jsons(v in value()) {
            prop_assert_eq!(ours(&v), serde_json::to_string_pretty(&v).unwrap());
        }

        /// A value serialised with `collect_str` (its `Display` written in pieces, each
        /// escaped as it comes) is byte for byte what serde_json writes for the whole text.
        #[test]
        fn collected_strings_are_serde_jsons(parts in proptest::collection::vec(text(), 0..5)) {
            let whole: String = parts.concat();
            prop_assert_eq!(ours(&Pieces(&parts)), serde_json::to_string_pretty(&whole).unwrap());
            prop_assert_eq!(ours(&[Pieces(&parts)]), serde_json::to_string_pretty(&[&whole]).unwrap());
        }
    }

    /// Text whose `Display` writes each of its pieces in turn, serialised with `collect_str`.
    struct Pieces<'a>(&'a [String]);
    impl std::fmt::Display for Pieces<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.iter().try_for_each(|p| f.write_str(p))
        }
    }
    impl Serialize for Pieces<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        EmptyTuple(),
        Struct { a: Option<f64>, b: Vec<u8> },
        EmptyStruct {},
    }

    #[derive(Serialize)]
    struct S<'a> {
        e: Vec<E>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        chars: (char, char),
        nan: f32,
        bytes: &'a serde_bytes_like::Bytes,
        int_keys: BTreeMap<i32, &'a str>,
        unit_keys: BTreeMap<K, u8>,
        raw: Private,
        empty: Vec<u8>,
        unit: (),
    }

    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    enum K {
        A,
        B,
    }

    /// Serialized as serde_json's private `RawValue` struct is (what serde_json writes for it
    /// depends on its `raw_value` feature; this serializer leaves it to serde_json).
    struct Private;
    impl Serialize for Private {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut st = s.serialize_struct("$serde_json::private::RawValue", 1)?;
            st.serialize_field("$serde_json::private::RawValue", "[1, 2]")?;
            st.end()
        }
    }

    mod serde_bytes_like {
        /// Bytes serialized with `serialize_bytes`.
        pub struct Bytes(pub [u8; 3]);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    /// Every shape serde's data model has (variants of each kind, empty ones, skipped fields,
    /// chars, NaN, bytes, integer and enum map keys, serde_json's `RawValue`) is written as serde_json
    /// writes it: integer keys and the `RawValue` by serde_json itself, the rest by this
    /// serializer.
    #[test]
    fn every_shape_is_serde_jsons() {
        let s = S {
            e: vec![
                E::Unit,
                E::Newtype(7),
                E::Tuple(-1, "a\"b".into()),
                E::EmptyTuple(),
                E::Struct { a: Some(0.1), b: vec![1, 2] },
                E::Struct { a: None, b: vec![] },
                E::EmptyStruct {},
            ],
            skipped: None,
            chars: ('\n', 'é'),
            nan: f32::NAN,
            bytes: &serde_bytes_like::Bytes([0, 1, 255]),
            int_keys: [(1, "x"), (-2, "y")].into_iter().collect(),
            unit_keys: [(K::A, 1), (K::B, 2)].into_iter().collect(),
            raw: Private,
            empty: vec![],
            unit: (),
        };
        assert_eq!(ours(&s), serde_json::to_string_pretty(&s).unwrap());
        let without_int_keys = (&s.e, &s.chars, s.nan, &s.bytes, &s.unit_keys, &s.empty, s.unit);
        let mut out = Vec::new();
        let mut ser =
            super::Serializer { out: &mut out, fmt: super::Pretty::default(), splice: None, trace: None, top_key: "" };
        without_int_keys.serialize(&mut ser).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string_pretty(&without_int_keys).unwrap());
    }
}
