//! Where each file is in a list of files, found by its id: the summary's counted children,
//! the queue's children with rows. Pure: no I/O.

use std::collections::HashMap;

use super::ChildId;

/// The hash of the maps looked up once or more per file or per event (the queue's class
/// teachers, the summary's guardians, titles and distinct visitors, sparse positions): fast,
/// and seeded at random per process, so that no roster can be written to collide. (SipHash,
/// the standard one, was a few per cent of the summary.)
pub type FastHash = foldhash::fast::RandomState;

/// Each file's position in a list of files, by id: a table indexed by the id when ids are
/// dense (they are handed out by a counter), a map when they are not (a file merged from
/// elsewhere).
#[derive(Debug, Clone)]
pub enum Positions {
    Dense(Vec<u32>),
    Sparse(HashMap<u64, u32, FastHash>),
}

impl Positions {
    const NONE: u32 = u32::MAX;

    pub fn new(ids: impl ExactSizeIterator<Item = u64> + Clone) -> Positions {
        let count = ids.len();
        let max = ids.clone().max().unwrap_or(0);
        match usize::try_from(max) {
            Ok(max) if max <= count.saturating_mul(4).saturating_add(4096) => {
                let mut table = vec![Self::NONE; max + 1];
                for (i, id) in ids.enumerate() {
                    table[id as usize] = i as u32;
                }
                Positions::Dense(table)
            }
            _ => Positions::Sparse(ids.enumerate().map(|(i, id)| (id, i as u32)).collect()),
        }
    }

    pub fn get(&self, id: ChildId) -> Option<usize> {
        match self {
            Positions::Dense(table) => usize::try_from(id.0)
                .ok()
                .and_then(|i| table.get(i))
                .filter(|p| **p != Self::NONE)
                .map(|p| *p as usize),
            Positions::Sparse(map) => map.get(&id.0).map(|p| *p as usize),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_found_by_id_in_a_table_or_a_map() {
        let dense = Positions::new([5u64, 1, 9].into_iter());
        assert!(matches!(dense, Positions::Dense(_)));
        assert_eq!(dense.get(ChildId(9)), Some(2));
        assert_eq!(dense.get(ChildId(5)), Some(0));
        assert_eq!(dense.get(ChildId(2)), None);
        assert_eq!(dense.get(ChildId(10)), None);
        assert_eq!(dense.get(ChildId(u64::MAX)), None);
        // Ids far apart (a file merged from elsewhere): a map, same answers.
        let sparse = Positions::new([1u64, 1 << 40, 7].into_iter());
        assert!(matches!(sparse, Positions::Sparse(_)));
        assert_eq!(sparse.get(ChildId(1 << 40)), Some(1));
        assert_eq!(sparse.get(ChildId(7)), Some(2));
        assert_eq!(sparse.get(ChildId(2)), None);
        let empty = Positions::new(std::iter::empty::<u64>());
        assert_eq!(empty.get(ChildId(0)), None);
    }

    /// A table is kept while the highest id is at most four per file and 4,096 more.
    #[test]
    fn the_table_stops_at_its_bound() {
        let at_bound = Positions::new([1u64, 4 * 2 + 4096].into_iter());
        assert!(matches!(at_bound, Positions::Dense(_)));
        assert_eq!(at_bound.get(ChildId(4 * 2 + 4096)), Some(1));
        let beyond = Positions::new([1u64, 4 * 2 + 4097].into_iter());
        assert!(matches!(beyond, Positions::Sparse(_)));
        assert_eq!(beyond.get(ChildId(4 * 2 + 4097)), Some(1));
    }
}
