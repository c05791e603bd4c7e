//! Which rows a long trajectory table shows: every row up to [`TABLE_LIMIT`]; beyond, the first and
//! the last [`EDGE`] rows and, between them, every epoch that is a multiple of a round step (1, 2 or
//! 5 times a power of ten), so a 100,000-epoch table stays about [`TABLE_LIMIT`] rows long.

/// Most rows a table shows in full.
pub const TABLE_LIMIT: usize = 200;

/// Rows kept at each end of a sampled table.
pub const EDGE: usize = 20;

/// The rows of a sampled table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Row indices, increasing (row 0 is the start, row t the point after epoch t).
    pub rows: Vec<usize>,
    /// The step between the sampled rows in the middle.
    pub step: usize,
}

/// The rows to show of a table of `count` rows, or `None` when it shows them all.
pub fn sample(count: usize) -> Option<Sample> {
    if count <= TABLE_LIMIT {
        return None;
    }
    let middle = TABLE_LIMIT - 2 * EDGE;
    let raw = (count - 2 * EDGE).div_ceil(middle);
    // the smallest round step at least `raw`
    let step = (0..20)
        .flat_map(|k| [1, 2, 5].map(|m| m * 10usize.pow(k)))
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let rows = (0..count)
        .filter(|&r| r < EDGE || r >= count - EDGE || r % step == 0)
        .collect();
    Some(Sample { rows, step })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tables_show_every_row() {
        assert_eq!(sample(31), None);
        assert_eq!(sample(TABLE_LIMIT), None);
    }

    #[test]
    fn long_tables_show_both_ends_and_a_round_step_between() {
        let s = sample(100_001).unwrap();
        assert_eq!(s.step, 1000);
        assert!(s.rows.len() <= TABLE_LIMIT, "{}", s.rows.len());
        assert_eq!(&s.rows[..EDGE], &(0..EDGE).collect::<Vec<_>>()[..]);
        assert_eq!(s.rows[EDGE], 1000);
        assert_eq!(s.rows.last(), Some(&100_000));
        assert_eq!(s.rows[s.rows.len() - EDGE], 100_001 - EDGE);
        assert!(s.rows.windows(2).all(|w| w[0] < w[1]));
        let s = sample(201).unwrap();
        assert_eq!(s.step, 2);
        assert!(s.rows.len() <= TABLE_LIMIT);
        assert_eq!(s.rows.last(), Some(&200));
    }
}
