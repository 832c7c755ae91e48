// The demo's keys. DEMO ONLY: they are public, so anyone can test guesses against the demo list.
// A real app ships its deployment key inside the app and pins its publisher's public key.
export const DEMO_KEY_HEX = '6861736873637265656e2064656d6f206b6579202d206e6f7420736563726574';
export const DEMO_PUBLISHER_SEED_HEX = '6861736873637265656e2064656d6f207075626c697368657220736565642121';
