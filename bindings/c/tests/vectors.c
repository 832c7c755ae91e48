/*
 * Runs fixtures/vectors.json through the C API (the same checks as tests/vectors.rs), screens the
 * fixture images, and checks the C layer's own error handling (NULL, stale and wrong-type handles).
 *
 *   gcc -std=c11 -Wall -Wextra -Werror -Ibindings/c/include bindings/c/tests/vectors.c \
 *       $CARGO_TARGET_DIR/debug/libhashscreen_c.a -lcjson -lpthread -ldl -lm -o vectors
 *   ./vectors fixtures
 *
 * Prints "N passed, N failed" at the end and exits non-zero on any failure.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashscreen.h"

static int passed = 0, failed = 0;
static const char *fixtures = "fixtures";

#define CHECK(cond, ...)                                                   \
  do {                                                                     \
    if (cond) {                                                            \
      passed++;                                                            \
    } else {                                                               \
      failed++;                                                            \
      fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);      \
      fprintf(stderr, __VA_ARGS__);                                        \
      fprintf(stderr, "\n");                                               \
    }                                                                      \
  } while (0)

/* A call that must succeed; on failure prints the status code and the thread's message. */
#define OK(call)                                                                       \
  do {                                                                                 \
    hs_status st_ = (call);                                                            \
    CHECK(st_ == HS_OK, "%s: %s (%s)", #call, hs_status_code(st_), hs_last_error_message()); \
  } while (0)

static unsigned char *read_file(const char *rel, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", fixtures, rel);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static unsigned char *unhex(const char *s, size_t *len) {
  size_t n = strlen(s) / 2;
  unsigned char *out = malloc(n ? n : 1);
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(s + 2 * i, "%2x", &v);
    out[i] = (unsigned char)v;
  }
  *len = n;
  return out;
}

static const char *str(const cJSON *o, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *basename_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* ---- digests, canonical forms, key id ---------------------------------------------------- */
static void digests(const cJSON *v, hs_key *key) {
  char *id = NULL;
  OK(hs_key_id(key, &id));
  CHECK(id && strcmp(id, str(cJSON_GetObjectItem(v, "key"), "key_id")) == 0, "key id %s", id);
  hs_string_free(id);

  int n = 0;
  const cJSON *d;
  cJSON_ArrayForEach(d, cJSON_GetObjectItem(v, "digests")) {
    n++;
    const char *signal = str(d, "signal");
    const char *input = str(d, "input");
    const char *canonical = str(d, "canonical");
    const char *input_hex = str(d, "input_hex");
    if (canonical) {
      char *got = NULL;
      if (strcmp(signal, "text") == 0) {
        OK(hs_text_strict_key(input, strlen(input), &got));
      } else if (strcmp(signal, "text_loose") == 0) {
        OK(hs_text_loose_key(input, strlen(input), &got));
      } else if (strcmp(signal, "text_shingle") == 0) {
        hs_strings *sh = NULL;
        const char *first = NULL;
        OK(hs_text_shingles(input, strlen(input), 0, &sh));
        OK(hs_strings_get(sh, 0, &first));
        got = first ? strdup(first) : NULL;
        hs_strings_free(sh);
      } else if (strcmp(signal, "url") == 0) {
        char *canon = NULL;
        OK(hs_url_canonicalize(input, strlen(input), &canon));
        CHECK(canon && strcmp(canon, str(d, "url_canonical")) == 0, "url %s -> %s", input, canon);
        hs_string_free(canon);
        hs_strings *ex = NULL;
        size_t count = 0;
        OK(hs_url_expressions(input, strlen(input), &ex));
        OK(hs_strings_len(ex, &count));
        const cJSON *want = cJSON_GetObjectItem(d, "expressions");
        CHECK(count == (size_t)cJSON_GetArraySize(want), "expressions of %s: %zu", input, count);
        for (size_t i = 0; i < count && i < (size_t)cJSON_GetArraySize(want); i++) {
          const char *e = NULL;
          OK(hs_strings_get(ex, i, &e));
          CHECK(e && strcmp(e, cJSON_GetArrayItem(want, (int)i)->valuestring) == 0, "expr %zu", i);
        }
        const char *first = NULL;
        OK(hs_strings_get(ex, 0, &first));
        got = first ? strdup(first) : NULL;
        hs_strings_free(ex);
      }
      CHECK(got && strcmp(got, canonical) == 0, "%s canonical of '%s': '%s'", signal, input, got);
      if (strcmp(signal, "text_shingle") == 0 || strcmp(signal, "url") == 0) free(got);
      else hs_string_free(got);
    }
    size_t len = 0;
    unsigned char *value;
    if (input_hex) {
      value = unhex(input_hex, &len);
    } else {
      const char *s = canonical ? canonical : input;
      len = strlen(s);
      value = (unsigned char *)strdup(s);
    }
    char *digest = NULL;
    int version = cJSON_GetObjectItem(d, "version")->valueint;
    OK(hs_digest(key, signal, (uint16_t)version, value, len, &digest));
    CHECK(digest && strcmp(digest, str(d, "digest")) == 0, "digest %s: %s", signal, digest);
    hs_string_free(digest);
    free(value);
  }
  CHECK(n >= 8, "only %d digest vectors", n);
}

/* ---- lists, delta, verdicts -------------------------------------------------------------- */
#define MAX_LISTS 8
static char list_names[MAX_LISTS][256];
static hs_blocklist *lists[MAX_LISTS];
static int list_count = 0;

static hs_blocklist *list_named(const char *name) {
  for (int i = 0; i < list_count; i++)
    if (strcmp(list_names[i], name) == 0) return lists[i];
  return NULL;
}

static void check_verdict(const cJSON *c, hs_verdict *verdict) {
  const cJSON *want = cJSON_GetObjectItem(c, "verdict");
  bool matched = false;
  OK(hs_verdict_matched(verdict, &matched));
  CHECK(matched == cJSON_IsTrue(cJSON_GetObjectItem(want, "matched")), "matched of %s",
        str(c, "comment"));
  size_t count = 0;
  OK(hs_verdict_match_count(verdict, &count));
  const cJSON *wm = cJSON_GetObjectItem(want, "matches");
  CHECK(count == (size_t)cJSON_GetArraySize(wm), "match count %zu of %s", count, str(c, "comment"));
  for (size_t i = 0; i < count && i < (size_t)cJSON_GetArraySize(wm); i++) {
    hs_match m;
    OK(hs_verdict_match(verdict, i, &m));
    const cJSON *w = cJSON_GetArrayItem(wm, (int)i);
    CHECK(strcmp(m.signal, str(w, "signal")) == 0 && strcmp(m.label, str(w, "label")) == 0,
          "match %zu: %s/%s", i, m.signal, m.label);
  }
  hs_match m;
  CHECK(hs_verdict_match(verdict, count, &m) == HS_INVALID_ARGUMENT, "index past the end");
}

static void lists_delta_verdicts(const cJSON *v, hs_key *key) {
  char *key_id = NULL;
  OK(hs_key_id(key, &key_id));
  const cJSON *info;
  cJSON_ArrayForEach(info, cJSON_GetObjectItem(v, "blocklists")) {
    size_t len;
    unsigned char *bytes = read_file(str(info, "file"), &len);
    hs_open_options opts = {0};
    opts.key_id = key_id;
    hs_blocklist *list = NULL;
    OK(hs_blocklist_open(bytes, len, &opts, &list));
    free(bytes);
    uint64_t seq = 0;
    OK(hs_blocklist_sequence(list, &seq));
    CHECK(seq == (uint64_t)cJSON_GetObjectItem(info, "sequence")->valuedouble, "sequence");
    char *checksum = NULL;
    OK(hs_blocklist_checksum(list, &checksum));
    CHECK(checksum && strcmp(checksum, str(info, "checksum")) == 0, "checksum %s", checksum);
    hs_string_free(checksum);
    char *signer = NULL;
    OK(hs_blocklist_signer(list, &signer));
    const char *want_signer = str(info, "signed_by");
    CHECK((signer == NULL && want_signer == NULL) ||
              (signer && want_signer && strcmp(signer, want_signer) == 0),
          "signer %s", signer ? signer : "(none)");
    hs_string_free(signer);
    snprintf(list_names[list_count], sizeof list_names[0], "%s", basename_of(str(info, "file")));
    lists[list_count++] = list;
  }

  /* The delta applied to v1 gives exactly v2 (publisher signature and sequence checked). */
  const cJSON *d = cJSON_GetObjectItem(v, "delta");
  size_t dlen;
  unsigned char *dbytes = read_file(str(d, "file"), &dlen);
  hs_verifying_key *publisher = NULL;
  OK(hs_verifying_key_from_hex(str(cJSON_GetObjectItem(v, "publisher"), "public_key"), &publisher));
  hs_open_options opts = {publisher, true, 1, key_id};
  hs_blocklist *applied = NULL;
  OK(hs_delta_apply(list_named("list-v1.hsbl"), dbytes, dlen, &opts, &applied));
  const uint8_t *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  OK(hs_blocklist_bytes(applied, &a, &alen));
  OK(hs_blocklist_bytes(list_named("list-v2-signed.hsbl"), &b, &blen));
  CHECK(alen == blen && alen > 0 && memcmp(a, b, alen) == 0, "applied delta differs from v2");
  hs_blocklist_free(applied);

  /* Rollback protection and signature requirement give their own statuses. */
  hs_open_options strict = {publisher, true, 3, key_id};
  OK(hs_blocklist_bytes(list_named("list-v2-signed.hsbl"), &b, &blen));
  hs_blocklist *rejected = NULL;
  CHECK(hs_blocklist_open(b, blen, &strict, &rejected) == HS_ROLLBACK, "rollback");
  CHECK(strstr(hs_last_error_message(), "rollback") != NULL, "message: %s", hs_last_error_message());
  CHECK(rejected == NULL, "out written on failure");
  hs_open_options signed_only = {publisher, false, 0, NULL};
  OK(hs_blocklist_bytes(list_named("list-v1.hsbl"), &b, &blen));
  CHECK(hs_blocklist_open(b, blen, &signed_only, &rejected) == HS_SIGNATURE_MISSING, "unsigned");
  unsigned char *corrupt = malloc(blen);
  memcpy(corrupt, b, blen);
  corrupt[blen / 2] ^= 1;
  CHECK(hs_blocklist_open(corrupt, blen, NULL, &rejected) == HS_CHECKSUM, "corrupt");
  CHECK(hs_blocklist_open(corrupt, 10, NULL, &rejected) != HS_OK, "cut");
  free(corrupt);
  free(dbytes);
  hs_verifying_key_free(publisher);

  int checked = 0;
  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItem(v, "screen")) {
    hs_blocklist *list = list_named(str(c, "blocklist"));
    CHECK(list != NULL, "list %s", str(c, "blocklist"));
    hs_screener *s = NULL;
    OK(hs_screener_new(list, key, &s));
    const char *kind = str(c, "kind");
    hs_verdict *verdict = NULL;
    if (strcmp(kind, "text") == 0) {
      const char *t = str(c, "input");
      OK(hs_screen_text(s, t, strlen(t), &verdict));
    } else if (strcmp(kind, "url") == 0) {
      const char *u = str(c, "input");
      OK(hs_screen_url(s, u, strlen(u), &verdict));
    } else if (strcmp(kind, "file") == 0) {
      size_t len;
      unsigned char *bytes = unhex(str(c, "input_hex"), &len);
      hs_message *m = NULL;
      OK(hs_message_new(&m));
      OK(hs_message_add_file(m, bytes, len));
      OK(hs_screen_message(s, m, &verdict));
      hs_message_free(m);
      free(bytes);
    } else if (strcmp(kind, "image") == 0) {
      size_t len;
      unsigned char *bytes = read_file(str(c, "input_file"), &len);
      hs_message *m = NULL;
      OK(hs_message_new(&m));
      OK(hs_message_add_image(m, bytes, len));
      OK(hs_screen_message(s, m, &verdict));
      hs_message_free(m);
      free(bytes);
    } else {
      CHECK(0, "unknown kind %s", kind);
      continue;
    }
    check_verdict(c, verdict);
    hs_verdict_free(verdict);
    hs_screener_free(s);
    checked++;
  }
  CHECK(checked >= 10, "only %d screen cases", checked);
  hs_string_free(key_id);
}

/* ---- PDQ of the fixture images ----------------------------------------------------------- */
static void pdq_images(const cJSON *v, hs_key *key) {
  int n = 0;
  const cJSON *img;
  cJSON_ArrayForEach(img, cJSON_GetObjectItem(cJSON_GetObjectItem(v, "pdq"), "images")) {
    n++;
    size_t len;
    unsigned char *bytes = read_file(str(img, "file"), &len);
    hs_pdq pdq;
    OK(hs_pdq_from_image(bytes, len, &pdq));
    free(bytes);
    CHECK(strcmp(pdq.hex[0], str(img, "pdq")) == 0, "pdq of %s: %s", str(img, "file"), pdq.hex[0]);
    CHECK(pdq.quality == cJSON_GetObjectItem(img, "quality")->valueint, "quality %d", pdq.quality);
    const cJSON *dih = cJSON_GetObjectItem(img, "dihedral");
    CHECK(cJSON_GetArraySize(dih) == 8, "8 dihedral hashes");
    for (int i = 0; i < 8 && i < cJSON_GetArraySize(dih); i++)
      CHECK(strcmp(pdq.hex[i], cJSON_GetArrayItem(dih, i)->valuestring) == 0, "dihedral %d", i);
    char *digest = NULL;
    OK(hs_digest(key, "image_pdq", 1, pdq.hashes[0], 32, &digest));
    CHECK(digest && strcmp(digest, str(img, "digest")) == 0, "pdq digest %s", digest);
    hs_string_free(digest);
  }
  CHECK(n >= 3, "only %d pdq images", n);

  /* The eight variants of one decode are within 20 bits of the C++ reference's hashes of the
   * actually rotated and flipped files (tests/image_pdq_conformance.rs, same bound). */
  size_t len;
  unsigned char *bytes = read_file("images/dih/bridge-1-original.jpg", &len);
  hs_pdq pdq;
  OK(hs_pdq_from_image(bytes, len, &pdq));
  free(bytes);
  unsigned char *csv = read_file("images/dih/cpp-reference-hashes.csv", &len);
  char *line = strtok((char *)csv, "\n");
  for (int i = 0; i < 8; i++) {
    CHECK(line != NULL, "csv line %d", i);
    if (!line) break;
    char ref[65];
    snprintf(ref, sizeof ref, "%.64s", line);
    uint32_t dist = 999;
    OK(hs_pdq_distance(pdq.hex[i], ref, &dist));
    CHECK(dist <= 20, "dihedral %d: distance %u", i, dist);
    line = strtok(NULL, "\n");
  }
  free(csv);
}

/* ---- building, signing, deltas, message parts -------------------------------------------- */
static void build_and_screen(hs_key *key) {
  hs_signing_key *signer = NULL;
  hs_verifying_key *publisher = NULL;
  OK(hs_signing_key_generate(&signer));
  OK(hs_signing_key_verifying_key(signer, &publisher));

  size_t ilen;
  unsigned char *image = read_file("images/corpus/0060.jpg", &ilen);
  hs_builder *b = NULL;
  OK(hs_builder_new(key, &b));
  OK(hs_builder_set_false_positive_rate(b, 1e-7));
  const char *scam = "Send the gift card codes now";
  OK(hs_builder_add_text(b, "scam", scam, strlen(scam)));
  const char *listed_url = "evil.example/login/";
  OK(hs_builder_add_url(b, "phishing", listed_url, strlen(listed_url)));
  OK(hs_builder_add_image(b, "known-images", image, ilen));
  OK(hs_builder_add_pdq_hash(b, "known-images",
                             "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"));
  CHECK(hs_builder_add_text(b, "bad label!", scam, strlen(scam)) == HS_INVALID_LABEL, "label");
  CHECK(hs_builder_add_pdq_hash(b, "x", "abc") == HS_INVALID_IMAGE_HASH_HEX, "pdq hex");
  CHECK(hs_builder_set_false_positive_rate(b, 2.0) == HS_INVALID_PARAMETERS, "fpr");
  const char bad_utf8[] = {'a', (char)0xff, 'b'};
  CHECK(hs_builder_add_text(b, "scam", bad_utf8, 3) == HS_INVALID_UTF8, "utf8");
  hs_bytes *built = NULL;
  OK(hs_builder_build_signed(b, signer, &built));
  const uint8_t *data = NULL;
  size_t len = 0;
  OK(hs_bytes_data(built, &data, &len));
  hs_open_options opts = {publisher, true, 1, NULL};
  hs_blocklist *v1 = NULL;
  OK(hs_blocklist_open(data, len, &opts, &v1));
  hs_bytes_free(built);
  hs_builder_free(b);

  hs_screener *s = NULL;
  OK(hs_screener_new(v1, key, &s));
  hs_verdict *verdict = NULL;
  bool matched = false;
  const char *variant = "SEND the gift-card codes   now!";
  OK(hs_screen_text(s, variant, strlen(variant), &verdict));
  OK(hs_verdict_matched(verdict, &matched));
  CHECK(matched, "text variant matches");
  hs_verdict_free(verdict);
  const char *url = "hxxps://login.evil[.]example/login/step2";
  OK(hs_screen_url(s, url, strlen(url), &verdict));
  OK(hs_verdict_matched(verdict, &matched));
  CHECK(matched, "defanged subdomain URL under a listed path matches");
  hs_verdict_free(verdict);
  OK(hs_screen_image(s, image, ilen, &verdict));
  OK(hs_verdict_matched(verdict, &matched));
  CHECK(matched, "listed image matches");
  hs_verdict_free(verdict);
  OK(hs_screen_file(s, (const uint8_t *)"hello", 5, &verdict));
  OK(hs_verdict_matched(verdict, &matched));
  CHECK(!matched, "unlisted file");
  hs_verdict_free(verdict);

  /* A message: text, an undecodable image, an unlisted URL, the listed image. */
  hs_message *m = NULL;
  OK(hs_message_new(&m));
  OK(hs_message_add_text(m, "see you at eight", 16));
  OK(hs_message_add_image(m, (const uint8_t *)"not an image", 12));
  OK(hs_message_add_url(m, "https://example.org/", 20));
  OK(hs_message_add_image(m, image, ilen));
  OK(hs_screen_message(s, m, &verdict));
  OK(hs_verdict_matched(verdict, &matched));
  CHECK(matched, "message matches");
  size_t count = 0;
  OK(hs_verdict_match_count(verdict, &count));
  CHECK(count >= 1, "matches");
  for (size_t i = 0; i < count; i++) {
    hs_match mt;
    OK(hs_verdict_match(verdict, i, &mt));
    CHECK(mt.part == 3 && strcmp(mt.label, "known-images") == 0, "match part %zu %s", mt.part,
          mt.label);
  }
  OK(hs_verdict_unscreened_count(verdict, &count));
  CHECK(count == 1, "one unscreened part, got %zu", count);
  hs_unscreened u;
  OK(hs_verdict_unscreened(verdict, 0, &u));
  CHECK(u.part == 1 && u.status == HS_UNSUPPORTED_IMAGE_FORMAT &&
            strcmp(u.code, "unsupported_image_format") == 0,
        "unscreened %zu %s", u.part, u.code);
  hs_verdict_free(verdict);
  hs_message_free(m);

  /* A low-quality (flat) image fails alone with its own status. */
  CHECK(hs_screen_image(s, (const uint8_t *)"GIF89a", 6, &verdict) != HS_OK, "truncated gif");

  /* v2 extends v1; the delta from v1 to v2, applied to v1, gives v2. */
  OK(hs_builder_from_base(key, v1, &b));
  OK(hs_builder_add_text(b, "scam", "a brand new scam text", 21));
  OK(hs_builder_build_signed(b, signer, &built));
  OK(hs_bytes_data(built, &data, &len));
  hs_blocklist *v2 = NULL;
  OK(hs_blocklist_open(data, len, &opts, &v2));
  uint64_t seq = 0;
  OK(hs_blocklist_sequence(v2, &seq));
  CHECK(seq == 2, "sequence %llu", (unsigned long long)seq);
  hs_bytes *d = NULL;
  OK(hs_delta_make(v1, v2, signer, &d));
  const uint8_t *ddata = NULL;
  size_t dlen = 0;
  OK(hs_bytes_data(d, &ddata, &dlen));
  CHECK(dlen > 0, "empty delta");
  hs_blocklist *applied = NULL;
  OK(hs_delta_apply(v1, ddata, dlen, &opts, &applied));
  const uint8_t *x = NULL;
  size_t xlen = 0;
  OK(hs_blocklist_bytes(applied, &x, &xlen));
  CHECK(xlen == len && memcmp(x, data, len) == 0, "applied == v2");
  CHECK(hs_delta_make(v2, v1, NULL, &d) != HS_OK, "reverse delta refused");
  hs_blocklist_free(applied);
  hs_bytes_free(d);
  hs_bytes_free(built);
  hs_builder_free(b);
  hs_blocklist_free(v2);

  /* Another deployment key does not open the screener. */
  hs_key *other = NULL;
  OK(hs_key_generate(&other));
  hs_screener *s2 = NULL;
  CHECK(hs_screener_new(v1, other, &s2) == HS_KEY_MISMATCH, "key mismatch");
  hs_key_free(other);

  hs_screener_free(s);
  hs_blocklist_free(v1);
  hs_signing_key_free(signer);
  hs_verifying_key_free(publisher);
  free(image);
}

/* ---- one screener shared by several threads ------------------------------------------------ */
struct worker {
  hs_screener *screener;
  int matched, errors;
};

static void *screen_loop(void *arg) {
  struct worker *w = arg;
  const char *listed = "SEND the gift-card codes   now!";
  const char *other = "see you at eight";
  for (int i = 0; i < 200; i++) {
    const char *t = (i % 2) ? other : listed;
    hs_verdict *v = NULL;
    bool m = false;
    if (hs_screen_text(w->screener, t, strlen(t), &v) != HS_OK || hs_verdict_matched(v, &m) != HS_OK)
      w->errors++;
    else if (m == ((i % 2) == 0))
      w->matched++;
    hs_verdict_free(v);
  }
  return NULL;
}

static void threads(hs_key *key) {
  hs_builder *b = NULL;
  hs_bytes *built = NULL;
  hs_blocklist *list = NULL;
  hs_screener *s = NULL;
  const uint8_t *data = NULL;
  size_t len = 0;
  const char *scam = "Send the gift card codes now";
  OK(hs_builder_new(key, &b));
  OK(hs_builder_add_text(b, "scam", scam, strlen(scam)));
  OK(hs_builder_build(b, &built));
  OK(hs_bytes_data(built, &data, &len));
  OK(hs_blocklist_open(data, len, NULL, &list));
  OK(hs_screener_new(list, key, &s));
  /* The list and builder may go: the screener holds what it needs. */
  OK(hs_blocklist_free(list));
  OK(hs_bytes_free(built));
  OK(hs_builder_free(b));
  struct worker w[4];
  pthread_t t[4];
  for (int i = 0; i < 4; i++) {
    w[i] = (struct worker){s, 0, 0};
    pthread_create(&t[i], NULL, screen_loop, &w[i]);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    CHECK(w[i].errors == 0 && w[i].matched == 200, "thread %d: %d right, %d errors", i, w[i].matched,
          w[i].errors);
  }
  OK(hs_screener_free(s));
}

/* ---- the C layer's own errors ------------------------------------------------------------ */
static void c_layer_errors(void) {
  hs_key *key = NULL;
  CHECK(hs_key_from_hex(NULL, &key) == HS_NULL_POINTER, "null string");
  CHECK(hs_key_from_hex("00", NULL) == HS_NULL_POINTER, "null out");
  CHECK(hs_key_from_hex("zz", &key) == HS_INVALID_KEY_LENGTH, "short key");
  CHECK(key == NULL, "out untouched");
  char bad[65];
  memset(bad, 'z', 64);
  bad[64] = 0;
  CHECK(hs_key_from_hex(bad, &key) == HS_INVALID_HEX, "bad hex");
  CHECK(strcmp(hs_status_code(HS_INVALID_HEX), "invalid_hex") == 0, "code string");
  CHECK(strcmp(hs_status_code(HS_OK), "ok") == 0, "ok string");
  CHECK(strlen(hs_last_error_message()) > 0, "message set");

  hs_screener *s = NULL;
  CHECK(hs_screener_new(NULL, NULL, &s) == HS_NULL_POINTER, "null handles");
  hs_verdict *verdict = NULL;
  CHECK(hs_screen_text(NULL, "x", 1, &verdict) == HS_NULL_POINTER, "null screener");
  CHECK(hs_screen_file((hs_screener *)(uintptr_t)0x12345670, (const uint8_t *)"x", 1, &verdict) ==
            HS_INVALID_HANDLE,
        "forged handle");
  CHECK(hs_screen_file((hs_screener *)(uintptr_t)0x12345670, NULL, 5, &verdict) != HS_OK,
        "null buffer with length");

  OK(hs_key_generate(&key));
  /* A key handle passed as a list, a double free: errors, not crashes. */
  uint64_t seq;
  CHECK(hs_blocklist_sequence((hs_blocklist *)key, &seq) == HS_INVALID_HANDLE, "wrong type");
  CHECK(hs_key_free(key) == HS_OK, "free");
  CHECK(hs_key_free(key) == HS_INVALID_HANDLE, "double free");
  char *id = NULL;
  CHECK(hs_key_id(key, &id) == HS_INVALID_HANDLE, "use after free");
  CHECK(hs_key_free(NULL) == HS_OK, "free(NULL)");
  hs_string_free(NULL);
}

int main(int argc, char **argv) {
  if (argc > 1) fixtures = argv[1];
  size_t len;
  char *json = (char *)read_file("vectors.json", &len);
  cJSON *v = cJSON_ParseWithLength(json, len);
  if (!v) {
    fprintf(stderr, "cannot parse vectors.json\n");
    return 2;
  }
  hs_key *key = NULL;
  OK(hs_key_from_hex(str(cJSON_GetObjectItem(v, "key"), "hex"), &key));

  digests(v, key);
  lists_delta_verdicts(v, key);
  pdq_images(v, key);
  build_and_screen(key);
  threads(key);
  c_layer_errors();

  for (int i = 0; i < list_count; i++) hs_blocklist_free(lists[i]);
  hs_key_free(key);
  cJSON_Delete(v);
  free(json);
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
