//! NumPy's `.npy` format, version 1.0, for the arrays `stepwise vanishing --save-init` writes (the
//! initial weights and the batch orders), so that a PyTorch run can start from the same numbers and
//! see the same batches. The format (numpy.lib.format): the magic `\x93NUMPY`, the version bytes 1
//! and 0, a little-endian u16 header length, then the header, a Python dict literal
//! `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and ended by a
//! newline so that magic, length and header together are a multiple of 64 bytes; then the data, C
//! order, little-endian.

/// An element type this module writes.
pub trait Element: Copy {
    /// NumPy's `descr` of it.
    const DESCR: &'static str;
    /// Its little-endian bytes.
    fn le_bytes(self, out: &mut Vec<u8>);
}

impl Element for f32 {
    const DESCR: &'static str = "<f4";
    fn le_bytes(self, out: &mut Vec<u8>) {
        out.extend(self.to_le_bytes());
    }
}

impl Element for i64 {
    const DESCR: &'static str = "<i8";
    fn le_bytes(self, out: &mut Vec<u8>) {
        out.extend(self.to_le_bytes());
    }
}

/// The header of a `.npy` file of `T` with `shape` (C order), the data to follow; `None` when the
/// header would pass version 1.0's 65,535 bytes.
pub fn header<T: Element>(shape: &[usize]) -> Option<Vec<u8>> {
    let dims = match shape {
        [d] => format!("({d},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut header = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': {dims}, }}",
        T::DESCR
    );
    // magic (6) + version (2) + length (2) + header + '\n', a multiple of 64
    let unpadded = 10 + header.len() + 1;
    header.push_str(&" ".repeat(unpadded.next_multiple_of(64) - unpadded));
    header.push('\n');
    let len = u16::try_from(header.len()).ok()?;
    let mut out = Vec::with_capacity(10 + header.len());
    out.extend(b"\x93NUMPY\x01\x00");
    out.extend(len.to_le_bytes());
    out.extend(header.as_bytes());
    Some(out)
}

/// The bytes of a `.npy` file of `data` with `shape` (C order); `None` when the shape does not hold
/// exactly `data.len()` elements, or the header is too long.
pub fn encode<T: Element>(shape: &[usize], data: &[T]) -> Option<Vec<u8>> {
    let count = shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d))?;
    if count != data.len() {
        return None;
    }
    let mut out = header::<T>(shape)?;
    out.reserve(data.len() * 8);
    for &x in data {
        x.le_bytes(&mut out);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_numpys_and_aligned() {
        let b = encode(&[2, 3], &[1.0f32, 2.0, 3.0, 4.0, 5.0, -0.5]).unwrap();
        assert_eq!(&b[..8], b"\x93NUMPY\x01\x00");
        let len = u16::from_le_bytes([b[8], b[9]]) as usize;
        assert_eq!((10 + len) % 64, 0);
        let header = std::str::from_utf8(&b[10..10 + len]).unwrap();
        assert_eq!(
            header.trim_end(),
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        );
        assert!(header.ends_with('\n'));
        assert_eq!(b.len(), 10 + len + 6 * 4);
        assert_eq!(&b[b.len() - 4..], (-0.5f32).to_le_bytes());
        let b = encode(&[2], &[7i64, -1]).unwrap();
        let len = u16::from_le_bytes([b[8], b[9]]) as usize;
        assert!(std::str::from_utf8(&b[10..10 + len])
            .unwrap()
            .starts_with("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }"));
        assert_eq!(
            &b[10 + len..],
            [7, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]
        );
        assert_eq!(encode(&[3], &[1.0f32]), None);
        assert_eq!(
            encode(&[0, 4], &[] as &[f32]).map(|b| b.len() % 64),
            Some(0)
        );
    }
}
