//! The fuzz's random numbers: seeded, so every case can be replayed.

/// SplitMix64: tiny, fast, and good enough to pick cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The generator of one case: the run's seed, the class and the case's
    /// number in it, mixed so neighbouring cases do not share a stream.
    pub fn for_case(seed: u64, class: usize, number: usize) -> Self {
        let mut mixer = Rng::new(seed ^ (class as u64).wrapping_mul(0xA076_1D64_78BD_642F));
        let first = mixer.next();
        Rng::new(first ^ (number as u64).wrapping_mul(0x2545_F491_4F6C_DD1D))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }

    /// `count` distinct items of `items` (all of them if there are fewer), in a random order.
    pub fn several<T: Clone>(&mut self, items: &[T], count: usize) -> Vec<T> {
        let mut order: Vec<usize> = (0..items.len()).collect();
        // Fisher-Yates, as far as needed.
        let count = count.min(items.len());
        for i in 0..count {
            let j = i + self.below(items.len() - i);
            order.swap(i, j);
        }
        order[..count].iter().map(|&i| items[i].clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_of_one_seed_differ_and_replay() {
        let first = |number| Rng::for_case(7, 2, number).next();
        assert_eq!(first(3), first(3));
        assert_ne!(first(3), first(4));
        assert_ne!(Rng::for_case(7, 1, 3).next(), Rng::for_case(7, 2, 3).next());
    }

    #[test]
    fn several_gives_distinct_items() {
        let mut rng = Rng::new(1);
        let picked = rng.several(&[1, 2, 3, 4, 5], 3);
        assert_eq!(picked.len(), 3);
        let mut sorted = picked.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 3);
        assert_eq!(rng.several(&[1, 2], 5).len(), 2);
    }
}
