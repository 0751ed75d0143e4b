//! A token bucket: at most `per_sec` messages per second on average, bursts up to twice that.

use std::time::Instant;

/// Message budget of one connection.
#[derive(Debug)]
pub struct RateLimit {
    per_sec: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimit {
    /// A full bucket allowing `per_sec` messages per second.
    pub fn new(per_sec: u32) -> Self {
        let per_sec = f64::from(per_sec.max(1));
        Self { per_sec, tokens: per_sec * 2.0, last: Instant::now() }
    }

    /// Takes one token at `now`; false when the budget is used up.
    pub fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_sec).min(self.per_sec * 2.0);
        if self.tokens < 1.0 {
            return false;
        }
        self.tokens -= 1.0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::RateLimit;
    use std::time::{Duration, Instant};

    #[test]
    fn a_burst_of_twice_the_rate_passes_then_the_rate_refills_the_bucket() {
        let start = Instant::now();
        let mut limit = RateLimit::new(10);
        assert_eq!((0..25).filter(|_| limit.take(start)).count(), 20);
        assert!(!limit.take(start));
        assert!(limit.take(start + Duration::from_millis(150)), "one token after 100 ms");
    }
}
