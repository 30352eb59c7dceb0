//! Pretty JSON as every output of jixiao writes it, fast: serde_json's layout byte for byte, with each line's indent written at once and the bytes gathered in chunks.
//!
//! serde_json's `PrettyFormatter` writes a line's indent one level at a time,
//! and `to_writer_pretty` on a `dyn Write` pays a virtual call for each of
//! those pieces: at 20,000 indicators that was a fifth of `import`. Here a
//! line break and its indent are one slice, and the serializer writes into a
//! plain buffer handed on every 64 KiB.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// A line break and up to 64 levels of two-space indent.
const BREAKS: [u8; 129] = {
    let mut b = [b' '; 129];
    b[0] = b'\n';
    b
};

/// serde_json's pretty layout (two spaces a level, `": "` after a key).
#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    fn line<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        let mut spaces = self.level * 2;
        let first = spaces.min(BREAKS.len() - 1);
        w.write_all(&BREAKS[..1 + first])?;
        spaces -= first;
        while spaces > 0 {
            let n = spaces.min(BREAKS.len() - 1);
            w.write_all(&BREAKS[1..1 + n])?;
            spaces -= n;
        }
        Ok(())
    }
}

impl Pretty {
    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own when something was inside.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an element or a key: a comma after the first, then a new line.
    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.line(w)
    }
}

impl Formatter for Pretty {
    #[inline]
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    #[inline]
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    #[inline]
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    #[inline]
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    #[inline]
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    #[inline]
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    #[inline]
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    #[inline]
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Bytes gathered in a buffer and handed to `out` in chunks of about 64 KiB:
/// the serializer's many small writes stay plain copies.
struct Chunks<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn Write,
}

const CHUNK: usize = 1 << 16;

impl Chunks<'_> {
    #[cold]
    fn hand_on(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
}

impl Write for Chunks<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.hand_on()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.hand_on()?;
        self.out.flush()
    }
}

/// Writes `value` to `out` as pretty JSON and a line end, as it is
/// serialized (never whole in memory).
pub fn write_pretty<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut w = Chunks {
        buf: Vec::with_capacity(CHUNK + 4096),
        out,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Pretty::default());
    value.serialize(&mut ser).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// `value` as pretty JSON, without a line end (what `serde_json::to_vec_pretty` gives).
pub fn to_vec_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut bytes, Pretty::default());
    value.serialize(&mut ser)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layout_is_serde_jsons_byte_for_byte() {
        let mut deep = json!("leaf");
        for i in 0..70 {
            deep = json!({ format!("k{i}"): [deep, [], {}, 1] });
        }
        for v in [
            json!(null),
            json!([]),
            json!({}),
            json!([1, [2, [3, {}]], {"a": {"b": []}}]),
            json!({"名称": "教育局\n\"引号\"", "values": [1.5, -2, true, null], "e": {}}),
            deep,
        ] {
            let want = serde_json::to_vec_pretty(&v).unwrap();
            assert_eq!(to_vec_pretty(&v).unwrap(), want, "{v}");
            let mut out = Vec::new();
            write_pretty(&mut out, &v).unwrap();
            assert_eq!(&out[..out.len() - 1], &want[..]);
            assert_eq!(out.last(), Some(&b'\n'));
        }
    }

    #[test]
    fn output_longer_than_a_chunk_arrives_whole_and_in_order() {
        let v: Vec<String> = (0..20_000).map(|i| format!("指标{i}")).collect();
        let mut out = Vec::new();
        write_pretty(&mut out, &v).unwrap();
        let mut want = serde_json::to_vec_pretty(&v).unwrap();
        want.push(b'\n');
        assert!(want.len() > 3 * CHUNK);
        assert_eq!(out, want);
    }
}
