//! A metric's value: a non-negative number with at most two decimals, kept as hundredths so that
//! sums and comparisons are exact. Read in German ("1234,5") or English ("1234.5") notation.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Largest value a metric may hold (a trillion: more than any follower count or budget).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000 * 100;

/// A value in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Amount(i64);

/// Why a text is not a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum BadAmount {
    #[error("not a number")]
    NotANumber,
    #[error("negative")]
    Negative,
    #[error("more than two decimals")]
    TooPrecise,
    /// "1.234" could be 1234 (German) or 1.234 (English): written without a thousands separator
    /// there is no doubt.
    #[error("thousands separators are ambiguous")]
    Ambiguous,
    #[error("too large")]
    TooLarge,
}

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// From hundredths.
    pub fn from_hundredths(h: i64) -> Result<Amount, BadAmount> {
        if h < 0 {
            Err(BadAmount::Negative)
        } else if h > MAX_AMOUNT {
            Err(BadAmount::TooLarge)
        } else {
            Ok(Amount(h))
        }
    }

    /// A computed figure rounded to hundredths; `None` if it is negative, not finite or too large.
    pub fn rounded(v: f64) -> Option<Amount> {
        let h = (v * 100.0).round();
        if h.is_finite() && h >= 0.0 && h <= MAX_AMOUNT as f64 { Amount::from_hundredths(h as i64).ok() } else { None }
    }

    /// A whole number.
    pub fn whole(n: u32) -> Amount {
        Amount(i64::from(n) * 100)
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// As a floating-point number, for charts and ratios.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// German notation: "12.345,5" (thousands separated by points, a decimal comma).
    pub fn german(self) -> String {
        self.written('.', ',')
    }

    /// English notation: "12,345.5".
    pub fn english(self) -> String {
        self.written(',', '.')
    }

    /// Spreadsheet notation with a decimal comma and no thousands separator: "12345,5".
    pub fn decimal_comma(self) -> String {
        self.written('\0', ',')
    }

    /// Plain notation for files: "12345.5".
    pub fn plain(self) -> String {
        self.written('\0', '.')
    }

    fn written(self, thousands: char, decimal: char) -> String {
        let whole = (self.0 / 100).to_string();
        let mut out = String::with_capacity(whole.len() + 4);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) && thousands != '\0' {
                out.push(thousands);
            }
            out.push(c);
        }
        let cents = self.0 % 100;
        if cents != 0 {
            out.push(decimal);
            if cents % 10 == 0 {
                out.push_str(&(cents / 10).to_string());
            } else {
                out.push_str(&format!("{cents:02}"));
            }
        }
        out
    }
}

impl TryFrom<i64> for Amount {
    type Error = BadAmount;

    fn try_from(h: i64) -> Result<Amount, BadAmount> {
        Amount::from_hundredths(h)
    }
}

impl From<Amount> for i64 {
    fn from(a: Amount) -> i64 {
        a.0
    }
}

/// Reads "1234", "1234,5", "1234.56", " 12 " (spaces and a trailing unit sign "€" or "%" are not
/// part of it: only the number). A separator followed by exactly three digits is refused as
/// ambiguous.
impl FromStr for Amount {
    type Err = BadAmount;

    fn from_str(s: &str) -> Result<Amount, BadAmount> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix('-') {
            return if rest.trim().parse::<Amount>().is_ok() {
                Err(BadAmount::Negative)
            } else {
                Err(BadAmount::NotANumber)
            };
        }
        let (whole, frac) = match s.find([',', '.']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadAmount::NotANumber);
        }
        let frac = frac.unwrap_or("");
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return if frac.contains([',', '.']) { Err(BadAmount::Ambiguous) } else { Err(BadAmount::NotANumber) };
        }
        if frac.len() == 3 {
            return Err(BadAmount::Ambiguous);
        }
        if frac.len() > 2 {
            return Err(BadAmount::TooPrecise);
        }
        if whole.len() > 13 {
            return Err(BadAmount::TooLarge);
        }
        let w: i64 = whole.parse().map_err(|_| BadAmount::NotANumber)?;
        let f: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| BadAmount::NotANumber)? * 10,
            _ => frac.parse().map_err(|_| BadAmount::NotANumber)?,
        };
        Amount::from_hundredths(w * 100 + f)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str) -> Result<i64, BadAmount> {
        s.parse::<Amount>().map(Amount::hundredths)
    }

    #[test]
    fn german_and_english_decimals_are_read() {
        assert_eq!(amount("1234"), Ok(123_400));
        assert_eq!(amount("1234,5"), Ok(123_450));
        assert_eq!(amount("1234.56"), Ok(123_456));
        assert_eq!(amount(" 0 "), Ok(0));
        assert_eq!(amount("0,05"), Ok(5));
    }

    #[test]
    fn doubtful_or_wrong_numbers_are_refused_with_their_reason() {
        assert_eq!(amount("1.234"), Err(BadAmount::Ambiguous));
        assert_eq!(amount("1.234,5"), Err(BadAmount::Ambiguous));
        assert_eq!(amount("1,2345"), Err(BadAmount::TooPrecise));
        assert_eq!(amount("-3"), Err(BadAmount::Negative));
        assert_eq!(amount("12a"), Err(BadAmount::NotANumber));
        assert_eq!(amount(""), Err(BadAmount::NotANumber));
        assert_eq!(amount(",5"), Err(BadAmount::NotANumber));
        assert_eq!(amount("1e5"), Err(BadAmount::NotANumber));
        assert_eq!(amount("99999999999999"), Err(BadAmount::TooLarge));
        assert_eq!(amount("1000000000001"), Err(BadAmount::TooLarge));
        assert_eq!(amount("1000000000000"), Ok(MAX_AMOUNT));
    }

    #[test]
    fn written_forms_read_back() {
        for h in [0, 5, 50, 100, 123_450, 123_456, 100_000_000, MAX_AMOUNT] {
            let a = Amount::from_hundredths(h).expect("in range");
            assert_eq!(a.plain().parse::<Amount>(), Ok(a), "{}", a.plain());
        }
        assert_eq!(Amount::from_hundredths(1_234_550).expect("in range").german(), "12.345,5");
        assert_eq!(Amount::from_hundredths(123_456_789).expect("in range").german(), "1.234.567,89");
        assert_eq!(Amount::whole(950).german(), "950");
    }
}
