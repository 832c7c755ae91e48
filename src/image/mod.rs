//! Perceptual image hashing (PDQ, dihedral variants, 64-bit comparison hashes) and decoding.
