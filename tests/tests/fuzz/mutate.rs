//! Inputs for the fuzz targets: random bytes, and valid seeds with bytes flipped, inserted,
//! deleted, cut off or spliced from another seed (a parser sees mostly almost-valid input).

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub enum Edit {
    Flip { at: usize, bit: u8 },
    Insert { at: usize, byte: u8 },
    Delete { at: usize },
    Truncate { at: usize },
    Splice { at: usize, from: usize, seed: usize, len: usize },
    Set { at: usize, byte: u8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Edit::Flip { at, bit }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Insert { at, byte }),
        any::<usize>().prop_map(|at| Edit::Delete { at }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
        (any::<usize>(), any::<usize>(), any::<usize>(), 1usize..64).prop_map(|(at, from, seed, len)| Edit::Splice {
            at,
            from,
            seed,
            len
        }),
        (any::<usize>(), prop_oneof![Just(0u8), Just(0xff), Just(0x7f), Just(0x80), any::<u8>()])
            .prop_map(|(at, byte)| Edit::Set { at, byte }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit], seeds: &[Vec<u8>]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len();
        match *e {
            Edit::Flip { at, bit } if len > 0 => bytes[at % len] ^= 1 << bit,
            Edit::Insert { at, byte } => bytes.insert(at % (len + 1), byte),
            Edit::Delete { at } if len > 0 => {
                bytes.remove(at % len);
            }
            Edit::Truncate { at } => bytes.truncate(at % (len + 1)),
            Edit::Splice { at, from, seed, len: n } if !seeds.is_empty() => {
                let other = &seeds[seed % seeds.len()];
                if !other.is_empty() {
                    let from = from % other.len();
                    let piece: Vec<u8> = other[from..(from + n).min(other.len())].to_vec();
                    let at = at % (len + 1);
                    bytes.splice(at..at, piece);
                }
            }
            Edit::Set { at, byte } if len > 0 => bytes[at % len] = byte,
            _ => {}
        }
    }
    bytes
}

/// Random bytes (a third of the cases) or a mutated seed; also an unmutated seed now and then.
pub fn input(seeds: Vec<Vec<u8>>, max_random: usize) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    let mutated = (0..n, proptest::collection::vec(edit(), 0..6))
        .prop_map(move |(i, edits)| apply(seeds[i].clone(), &edits, &seeds));
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..max_random),
        2 => mutated,
    ]
}
