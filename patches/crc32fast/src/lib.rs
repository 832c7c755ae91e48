//! CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) with the API of `crc32fast` 1.5, for the
//! hashscreen workspace. Slice-by-8 over a table computed once, on first use: the crate has no
//! static table data (see Cargo.toml for why).
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::panic)]

use std::sync::OnceLock;
use std::{fmt, hash};

const POLY: u32 = 0xEDB8_8320;

/// The CRC of the single byte `b`.
fn byte_crc(b: u8) -> u32 {
    let mut c = u32::from(b);
    for _ in 0..8 {
        c = if c & 1 != 0 { (c >> 1) ^ POLY } else { c >> 1 };
    }
    c
}

/// `TABLES[k][b]`: the CRC of byte `b` followed by `k` zero bytes.
fn tables() -> &'static [[u32; 256]; 8] {
    static TABLES: OnceLock<[[u32; 256]; 8]> = OnceLock::new();
    TABLES.get_or_init(|| {
        let row0: [u32; 256] = std::array::from_fn(|b| byte_crc(b as u8));
        let mut t = [row0; 8];
        for k in 1..8 {
            t[k] = t[k - 1].map(|c| (c >> 8) ^ row0[(c & 0xFF) as usize]);
        }
        t
    })
}

fn update(crc: u32, buf: &[u8]) -> u32 {
    let t = tables();
    let [t0, t1, t2, t3, t4, t5, t6, t7] = t;
    let mut c = !crc;
    let mut chunks = buf.chunks_exact(8);
    for w in &mut chunks {
        let lo = u32::from_le_bytes([w[0], w[1], w[2], w[3]]) ^ c;
        c = t7[(lo & 0xFF) as usize]
            ^ t6[((lo >> 8) & 0xFF) as usize]
            ^ t5[((lo >> 16) & 0xFF) as usize]
            ^ t4[(lo >> 24) as usize]
            ^ t3[w[4] as usize]
            ^ t2[w[5] as usize]
            ^ t1[w[6] as usize]
            ^ t0[w[7] as usize];
    }
    for &b in chunks.remainder() {
        c = (c >> 8) ^ t0[((c ^ u32::from(b)) & 0xFF) as usize];
    }
    !c
}

/// `mat` times `vec` over GF(2) (a 32x32 bit matrix, one column per entry).
fn gf2_times(mat: &[u32; 32], mut vec: u32) -> u32 {
    let mut sum = 0;
    for col in mat {
        if vec == 0 {
            break;
        }
        if vec & 1 != 0 {
            sum ^= col;
        }
        vec >>= 1;
    }
    sum
}

fn gf2_square(mat: &[u32; 32]) -> [u32; 32] {
    mat.map(|col| gf2_times(mat, col))
}

/// The CRC of `a ++ b` from the CRCs of `a` and `b` and the length of `b` (zlib's method: the
/// operator that appends a zero bit, squared up to the length).
fn combine(crc_a: u32, crc_b: u32, mut len_b: u64) -> u32 {
    if len_b == 0 {
        return crc_a;
    }
    let mut odd = [0u32; 32]; // one zero bit
    odd[0] = POLY;
    for (n, col) in odd.iter_mut().enumerate().skip(1) {
        *col = 1 << (n - 1);
    }
    let mut even = gf2_square(&odd); // two zero bits
    odd = gf2_square(&even); // four
    let mut crc = crc_a;
    loop {
        even = gf2_square(&odd); // a byte, then 4, 16, ... bytes
        if len_b & 1 != 0 {
            crc = gf2_times(&even, crc);
        }
        len_b >>= 1;
        if len_b == 0 {
            break;
        }
        odd = gf2_square(&even);
        if len_b & 1 != 0 {
            crc = gf2_times(&odd, crc);
        }
        len_b >>= 1;
        if len_b == 0 {
            break;
        }
    }
    crc ^ crc_b
}

/// The CRC-32 of `buf`.
pub fn hash(buf: &[u8]) -> u32 {
    update(0, buf)
}

/// A running CRC-32.
#[derive(Clone)]
pub struct Hasher {
    state: u32,
    amount: u64,
}

impl Hasher {
    /// A CRC of nothing.
    pub fn new() -> Self {
        Self::new_with_initial(0)
    }

    /// Continues from the CRC `init`.
    pub fn new_with_initial(init: u32) -> Self {
        Self::new_with_initial_len(init, 0)
    }

    /// Continues from the CRC `init` of `amount` bytes.
    pub fn new_with_initial_len(init: u32, amount: u64) -> Self {
        Self {
            state: init,
            amount,
        }
    }

    #[doc(hidden)]
    pub fn internal_new_baseline(init: u32, amount: u64) -> Self {
        Self::new_with_initial_len(init, amount)
    }

    #[doc(hidden)]
    pub fn internal_new_specialized(_init: u32, _amount: u64) -> Option<Self> {
        None
    }

    /// Adds `buf`.
    pub fn update(&mut self, buf: &[u8]) {
        self.state = update(self.state, buf);
        self.amount = self.amount.wrapping_add(buf.len() as u64);
    }

    /// How many bytes were added.
    pub fn total_len(&self) -> u64 {
        self.amount
    }

    /// The CRC.
    pub fn finalize(self) -> u32 {
        self.state
    }

    /// Back to a CRC of nothing.
    pub fn reset(&mut self) {
        *self = Self::new();
    }

    /// Appends what `other` hashed.
    pub fn combine(&mut self, other: &Self) {
        self.state = combine(self.state, other.state, other.amount);
        self.amount = self.amount.wrapping_add(other.amount);
    }
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("crc32fast::Hasher").finish()
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

impl hash::Hasher for Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }

    fn finish(&self) -> u64 {
        u64::from(self.state)
    }
}
