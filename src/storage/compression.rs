//! Layer compression, detected from magic bytes rather than trusted from the
//! media type (registries and `docker save` tarballs mislabel layers).
use std::io::{self, BufRead, Cursor, Read, Write};

use serde::{Deserialize, Serialize};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    fn from_magic(head: &[u8]) -> Compression {
        if head.starts_with(&GZIP_MAGIC) {
            Compression::Gzip
        } else if head.starts_with(&ZSTD_MAGIC) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// Peeks at the buffered head of `reader` without consuming it. The
    /// reader's buffer must hold at least 4 bytes after one `fill_buf`
    /// (any `BufReader` over a file or socket does unless the stream is
    /// shorter); `decompress` does not depend on that.
    pub fn detect(reader: &mut impl BufRead) -> io::Result<Compression> {
        Ok(Compression::from_magic(reader.fill_buf()?))
    }
}

/// Wraps `r` in the decoder its first bytes call for. Gzip streams may have
/// several members (pigz, concatenated layers); zstd may have several frames.
pub fn decompress<'a>(mut r: impl BufRead + 'a) -> io::Result<Box<dyn Read + 'a>> {
    // Read the magic fully (short reads are allowed by Read), then put it back
    // in front of the stream.
    let mut head = [0u8; 4];
    let mut n = 0;
    while n < head.len() {
        let k = r.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let kind = Compression::from_magic(&head[..n]);
    let stream = Cursor::new(head).take(n as u64).chain(r);
    Ok(match kind {
        Compression::None => Box::new(stream),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(stream)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(stream)?),
    })
}

/// A gzip encoder at the default level; call `finish()` to write the trailer.
pub fn gzip_writer<W: Write>(w: W) -> flate2::write::GzEncoder<W> {
    flate2::write::GzEncoder::new(w, flate2::Compression::default())
}

/// A gzip encoder at `level` (0-9, clamped).
pub fn gzip_writer_level<W: Write>(w: W, level: u32) -> flate2::write::GzEncoder<W> {
    flate2::write::GzEncoder::new(w, flate2::Compression::new(level.min(9)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn sample() -> Vec<u8> {
        (0..100_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect()
    }

    fn roundtrip(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        decompress(BufReader::new(data))
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn detects_and_decodes_gzip() {
        let mut w = gzip_writer(Vec::new());
        w.write_all(&sample()).unwrap();
        let gz = w.finish().unwrap();
        assert_eq!(
            Compression::detect(&mut BufReader::new(&gz[..])).unwrap(),
            Compression::Gzip
        );
        assert_eq!(roundtrip(&gz), sample());
    }

    #[test]
    fn decodes_multi_member_gzip() {
        let mut all = Vec::new();
        for part in [&b"hello "[..], &b"world"[..]] {
            let mut w = gzip_writer_level(Vec::new(), 1);
            w.write_all(part).unwrap();
            all.extend(w.finish().unwrap());
        }
        assert_eq!(roundtrip(&all), b"hello world");
    }

    #[test]
    fn detects_and_decodes_zstd() {
        let z = zstd::encode_all(&sample()[..], 3).unwrap();
        assert_eq!(
            Compression::detect(&mut BufReader::new(&z[..])).unwrap(),
            Compression::Zstd
        );
        assert_eq!(roundtrip(&z), sample());
    }

    #[test]
    fn plain_passes_through_even_when_tiny_or_read_in_pieces() {
        let data = sample();
        assert_eq!(
            Compression::detect(&mut BufReader::new(&data[..])).unwrap(),
            Compression::None
        );
        assert_eq!(roundtrip(&data), data);
        assert_eq!(roundtrip(b"ab"), b"ab");
        assert_eq!(roundtrip(b""), b"");
        // A reader that returns one byte at a time must still detect gzip.
        struct OneByte<'a>(&'a [u8]);
        impl Read for OneByte<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[0];
                self.0 = &self.0[1..];
                Ok(1)
            }
        }
        let mut w = gzip_writer(Vec::new());
        w.write_all(b"piecewise").unwrap();
        let gz = w.finish().unwrap();
        let mut out = Vec::new();
        decompress(BufReader::with_capacity(1, OneByte(&gz)))
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"piecewise");
    }
}
