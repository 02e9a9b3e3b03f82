/* The trigram lookup of the syllable language model (ocr_pipeline/restore/lm.py), the one
   implementation included by the compiled modules that score trigrams: `_lm_lookup.c`
   (`NgramLM.trigram_logprobs`) and `_lattice.c` (the decoder's score cache).

   log10 P(c | a b) with backoff, by binary search in the model's sorted, memory-mapped key
   tables, each search narrowed to the keys of its first word. Values are summed in doubles
   in the order `NgramLM.logprob` sums them, so they are bit for bit the same. */

#ifndef OCR_PIPELINE_TRIGRAM_H
#define OCR_PIPELINE_TRIGRAM_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* the tables, in this order: keys3 logp3 starts3 keys2 logp2 bow2 starts2 bow1 logp1 */
#define TRIGRAM_TABLES 9

typedef struct {
    Py_buffer views[TRIGRAM_TABLES];
    int held;          /* views acquired */
    Py_ssize_t words;  /* vocabulary size */
    int bits;          /* bits per id in a key */
    const uint64_t *keys3, *keys2;
    const int64_t *starts3, *starts2;
    const float *logp3, *logp2, *bow2, *bow1, *logp1;
} TrigramTables;

static void trigram_release(TrigramTables *t) {
    for (int k = 0; k < t->held; k++) PyBuffer_Release(&t->views[k]);
    t->held = 0;
}

/* Acquire the nine tables and `bits`, and check their shapes; -1 with an exception set. */
static int trigram_acquire(TrigramTables *t, PyObject *const *tables, PyObject *bits_obj) {
    static const char *names[TRIGRAM_TABLES] = {"keys3", "logp3", "starts3", "keys2", "logp2",
                                                "bow2",  "starts2", "bow1", "logp1"};
    static const Py_ssize_t sizes[TRIGRAM_TABLES] = {8, 4, 8, 8, 4, 4, 8, 4, 4};
    Py_ssize_t n[TRIGRAM_TABLES];
    t->held = 0;
    for (int k = 0; k < TRIGRAM_TABLES; k++) {
        if (PyObject_GetBuffer(tables[k], &t->views[k], PyBUF_C_CONTIGUOUS) < 0) goto fail;
        t->held++;
        if (t->views[k].len % sizes[k]) {
            PyErr_Format(PyExc_ValueError, "%s: not an array of %zd-byte items", names[k],
                         sizes[k]);
            goto fail;
        }
        n[k] = t->views[k].len / sizes[k];
    }
    long bits = PyLong_AsLong(bits_obj);
    if (bits == -1 && PyErr_Occurred()) goto fail;
    if (bits <= 0 || bits > 21) {
        PyErr_SetString(PyExc_ValueError, "bits must be between 1 and 21");
        goto fail;
    }
    t->bits = (int)bits;
    t->words = n[8];
    if (n[1] != n[0] || n[4] != n[3] || n[5] != n[3] || n[7] != t->words ||
        n[2] != t->words + 1 || n[6] != t->words + 1) {
        PyErr_SetString(PyExc_ValueError, "keys, values and starts of different lengths");
        goto fail;
    }
    t->keys3 = t->views[0].buf;
    t->logp3 = t->views[1].buf;
    t->starts3 = t->views[2].buf;
    t->keys2 = t->views[3].buf;
    t->logp2 = t->views[4].buf;
    t->bow2 = t->views[5].buf;
    t->starts2 = t->views[6].buf;
    t->bow1 = t->views[7].buf;
    t->logp1 = t->views[8].buf;
    for (Py_ssize_t w = 0; w <= t->words; w++) {
        if (t->starts3[w] < 0 || t->starts3[w] > n[0] || t->starts2[w] < 0 ||
            t->starts2[w] > n[3] ||
            (w > 0 && (t->starts3[w] < t->starts3[w - 1] || t->starts2[w] < t->starts2[w - 1]))) {
            PyErr_SetString(PyExc_ValueError, "starts must rise within the keys");
            goto fail;
        }
    }
    return 0;
fail:
    trigram_release(t);
    return -1;
}

/* the first index of keys[lo:hi] (sorted) whose key is not below `key` (hi: none) */
static inline Py_ssize_t trigram_lower_bound(const uint64_t *keys, Py_ssize_t lo, Py_ssize_t hi,
                                             uint64_t key) {
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* `trigram_lower_bound` searching outward from lo (steps 1, 2, 4, ... then a binary search
   within the last step): a few reads of neighbouring keys when the answer is near lo */
static inline Py_ssize_t trigram_gallop(const uint64_t *keys, Py_ssize_t lo, Py_ssize_t hi,
                                        uint64_t key) {
    Py_ssize_t base = lo, step = 1;
    while (base + step - 1 < hi && keys[base + step - 1] < key) {
        base += step;
        step <<= 1;
    }
    return trigram_lower_bound(keys, base, base + step - 1 < hi ? base + step - 1 : hi, key);
}

/* index of `key` in keys[lo:hi] (sorted), or -1 */
static inline Py_ssize_t trigram_find(const uint64_t *keys, Py_ssize_t lo, Py_ssize_t hi,
                                      uint64_t key) {
    Py_ssize_t j = trigram_lower_bound(keys, lo, hi, key);
    return (j < hi && keys[j] == key) ? j : -1;
}

/* 1 when a, b and c are ids of the model (the caller raises otherwise) */
static inline int trigram_ids_ok(const TrigramTables *t, long long a, long long b, long long c) {
    long long limit = (long long)1 << t->bits;
    return a >= 0 && b >= 0 && c >= 0 && a < limit && b < limit && c < limit && a < t->words &&
           b < t->words && c < t->words;
}

/* the backoff weight of the context (a, b): log10, 0.0 when the bigram is not stored */
static inline double trigram_context_bow(const TrigramTables *t, uint64_t a, uint64_t b) {
    uint64_t ab = (a << t->bits) | b;
    Py_ssize_t jab = trigram_find(t->keys2, t->starts2[a], t->starts2[a + 1], ab);
    return jab >= 0 ? (double)t->bow2[jab] : 0.0;
}

/* log10 P(c | a b) when the trigram is not stored: the bigram (b, c) plus the backoff weight
   `bow_ab` of (a, b), else the backoff weights of (a, b) and of b plus the unigram of c */
static inline double trigram_backoff(const TrigramTables *t, uint64_t b, uint64_t c,
                                     double bow_ab) {
    uint64_t bc = (b << t->bits) | c;
    Py_ssize_t j2 = trigram_find(t->keys2, t->starts2[b], t->starts2[b + 1], bc);
    if (j2 >= 0) return (double)t->logp2[j2] + bow_ab;
    return (bow_ab + (double)t->bow1[b]) + (double)t->logp1[c];
}

/* log10 P(c | a b): the stored trigram, else `trigram_backoff`. */
static inline double trigram_logprob(const TrigramTables *t, uint64_t a, uint64_t b, uint64_t c) {
    int bits = t->bits;
    uint64_t ab = (a << bits) | b;
    Py_ssize_t j3 = trigram_find(t->keys3, t->starts3[a], t->starts3[a + 1], (ab << bits) | c);
    if (j3 >= 0) return (double)t->logp3[j3];
    return trigram_backoff(t, b, c, trigram_context_bow(t, a, b));
}

#endif
