//! Texts kept one after the other in one String, each found again by its (start, end): the
//! queue and the printed roster keep thousands of names and classes without an allocation
//! each. Pure: no I/O.

/// Where a kept text is: (start, end) in the buffer.
pub(super) type At = (u32, u32);

#[derive(Debug, Clone, Default)]
pub(super) struct Texts {
    all: String,
    /// The last text kept with [`keep_shared`](Self::keep_shared).
    last_shared: Option<At>,
}

impl Texts {
    pub(super) fn keep(&mut self, text: &str) -> At {
        let start = self.all.len();
        self.all.push_str(text);
        (start as u32, self.all.len() as u32)
    }

    /// Keeps `text` once for a run of equal ones (a class: its children come together).
    pub(super) fn keep_shared(&mut self, text: &str) -> At {
        match self.last_shared {
            Some(at) if self.get(at) == text => at,
            _ => {
                let at = self.keep(text);
                self.last_shared = Some(at);
                at
            }
        }
    }

    /// Appends all of `other`'s texts; returns how far on they now are (what to add to
    /// each of `other`'s places).
    pub(super) fn append(&mut self, other: &Texts) -> u32 {
        let shift = self.all.len() as u32;
        self.all.push_str(&other.all);
        self.last_shared = None;
        shift
    }

    pub(super) fn get(&self, (start, end): At) -> &str {
        self.all.get(start as usize..end as usize).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_as_kept_and_a_run_of_equal_ones_is_kept_once() {
        let mut t = Texts::default();
        let name = t.keep("张小珠");
        let a = t.keep_shared("七(2)班");
        let b = t.keep_shared("七(2)班");
        let c = t.keep_shared("八(1)班");
        let d = t.keep_shared("七(2)班");
        let empty = t.keep("");
        assert_eq!(t.get(name), "张小珠");
        assert_eq!(
            (t.get(a), t.get(c), t.get(d)),
            ("七(2)班", "八(1)班", "七(2)班")
        );
        assert_eq!(a, b);
        assert_ne!(a, d, "only a run is shared");
        assert_eq!(t.get(empty), "");
        assert_eq!(t.get((90, 95)), "", "outside the buffer");
    }
}
