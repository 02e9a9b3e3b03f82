/* Compiled lattice loops of the restoration decoder (ocr_pipeline/restore/decoder.py),
   the only implementation of each:

   - ScoreCache: the decoder's cache of weighted trigram scores, weight * log10 P(c | a b),
     an open-addressing hash table of (a, b, c) filled on a miss by the language model's
     lookup (`_trigram.h`, the memory-mapped tables of `NgramLM`, searched within the
     trigrams of the context (a, b), whose range and backoff weight a second table
     remembers), or by a Python `logprob(a, b, c)` for other models; no Python object per
     scored pair;
   - viterbi(): the forward pass and back-trace of `Decoder.decode_segment`;
   - local_scores(): `Decoder._local_scores`, every LM term and pair bonus that touches one
     position of the best path, for each of its candidates.

   The sums keep the operand order of the former Python loops, so the chosen path and the
   scores are bit for bit the same. */

#include "_trigram.h"
#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ the score cache */

#define ID_BITS 21 /* ids packed in a cache key: below 2**21 each */
#define MIN_CAPACITY 1024
#define CONTEXT_LIMIT (1 << 17) /* contexts remembered at most (6 MB): then afresh */

typedef struct {
    uint64_t key; /* key + 1, 0: empty */
    double val;
} Slot;

/* a trigram context (a, b) of the model's tables: where its trigrams are in keys3 and its
   backoff weight. The Viterbi scores every candidate of a position after each predecessor's
   context, so each context is looked up again and again: a miss then searches only the few
   trigrams of its context, not every trigram of its first word, and the backoff weight is
   not searched again. */
typedef struct {
    uint64_t key;   /* (a << ID_BITS | b) + 1, 0: empty */
    int32_t lo, hi; /* keys3[lo:hi]: the trigrams (a, b, *) (tables below 2**31 keys) */
    float bow;      /* log10 backoff weight of (a, b) (a float of the tables, or 0) ... */
    int32_t has_bow; /* ... once a miss needed it */
} Context;

typedef struct {
    PyObject_HEAD
    double weight;       /* multiplier of the log10 probability */
    int has_tables;
    TrigramTables tables; /* when has_tables */
    PyObject *logprob;    /* else: logprob(a, b, c) -> log10 P(c | a b) */
    Slot *slots;          /* key and value side by side: one memory access per probe */
    size_t capacity;      /* a power of two */
    size_t count;
    size_t limit;         /* at this many entries the cache starts afresh */
    Context *contexts;    /* when has_tables (and keys3 fits int32), emptied with the slots */
    size_t ctx_capacity;  /* a power of two */
    size_t ctx_count;
} ScoreCache;

static PyTypeObject ScoreCacheType;

static inline size_t slot_of(uint64_t key, size_t capacity) {
    return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & (capacity - 1);
}

static int cache_alloc(ScoreCache *c, size_t capacity) {
    Slot *slots = PyMem_Calloc(capacity, sizeof(Slot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyMem_Free(c->slots);
    c->slots = slots;
    c->capacity = capacity;
    c->count = 0;
    return 0;
}

static int cache_grow(ScoreCache *c) {
    Slot *old = c->slots;
    size_t old_capacity = c->capacity;
    c->slots = NULL;
    if (cache_alloc(c, old_capacity * 2) < 0) {
        c->slots = old;
        c->capacity = old_capacity;
        return -1;
    }
    for (size_t i = 0; i < old_capacity; i++) {
        if (!old[i].key) continue;
        size_t s = slot_of(old[i].key, c->capacity);
        while (c->slots[s].key) s = (s + 1) & (c->capacity - 1);
        c->slots[s] = old[i];
        c->count++;
    }
    PyMem_Free(old);
    return 0;
}

static int contexts_alloc(ScoreCache *c, size_t capacity) {
    Context *contexts = PyMem_Calloc(capacity, sizeof(Context));
    if (contexts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyMem_Free(c->contexts);
    c->contexts = contexts;
    c->ctx_capacity = capacity;
    c->ctx_count = 0;
    return 0;
}

static int contexts_grow(ScoreCache *c) {
    Context *old = c->contexts;
    size_t old_capacity = c->ctx_capacity;
    c->contexts = NULL;
    if (contexts_alloc(c, old_capacity * 2) < 0) {
        c->contexts = old;
        c->ctx_capacity = old_capacity;
        return -1;
    }
    for (size_t i = 0; i < old_capacity; i++) {
        if (!old[i].key) continue;
        size_t s = slot_of(old[i].key, c->ctx_capacity);
        while (c->contexts[s].key) s = (s + 1) & (c->ctx_capacity - 1);
        c->contexts[s] = old[i];
        c->ctx_count++;
    }
    PyMem_Free(old);
    return 0;
}

/* every entry forgotten, the contexts too */
static void cache_empty(ScoreCache *c) {
    memset(c->slots, 0, c->capacity * sizeof(Slot));
    c->count = 0;
    if (c->contexts != NULL) {
        memset(c->contexts, 0, c->ctx_capacity * sizeof(Context));
        c->ctx_count = 0;
    }
}

/* log10 P(w | a b) from the tables, through the context (a, b) (found or added): the
   value of `trigram_logprob`, bit for bit; -1 on error */
static int context_logprob(ScoreCache *c, uint64_t a, uint64_t b, uint64_t w, double *out) {
    const TrigramTables *t = &c->tables;
    uint64_t key = ((a << ID_BITS) | b) + 1;
    size_t mask = c->ctx_capacity - 1, s = slot_of(key, c->ctx_capacity);
    while (c->contexts[s].key && c->contexts[s].key != key) s = (s + 1) & mask;
    Context *ctx = &c->contexts[s];
    if (!ctx->key) {
        if (c->ctx_count >= CONTEXT_LIMIT) { /* bound memory: the contexts start afresh */
            memset(c->contexts, 0, c->ctx_capacity * sizeof(Context));
            c->ctx_count = 0;
            s = slot_of(key, c->ctx_capacity);
            ctx = &c->contexts[s];
        } else if ((c->ctx_count + 1) * 2 > c->ctx_capacity) {
            if (contexts_grow(c) < 0) return -1;
            mask = c->ctx_capacity - 1;
            s = slot_of(key, c->ctx_capacity);
            while (c->contexts[s].key) s = (s + 1) & mask;
            ctx = &c->contexts[s];
        }
        /* a context's trigrams are few and follow each other: its end is galloped to */
        uint64_t ab = (a << t->bits) | b;
        Py_ssize_t end = t->starts3[a + 1];
        Py_ssize_t lo = trigram_lower_bound(t->keys3, t->starts3[a], end, ab << t->bits);
        ctx->lo = (int32_t)lo;
        ctx->hi = (int32_t)trigram_gallop(t->keys3, lo, end, (ab + 1) << t->bits);
        ctx->has_bow = 0;
        ctx->key = key;
        c->ctx_count++;
    }
    uint64_t abw = (((a << t->bits) | b) << t->bits) | w;
    Py_ssize_t j3 = trigram_find(t->keys3, ctx->lo, ctx->hi, abw);
    if (j3 >= 0) {
        *out = (double)t->logp3[j3];
        return 0;
    }
    if (!ctx->has_bow) {
        ctx->bow = (float)trigram_context_bow(t, a, b);
        ctx->has_bow = 1;
    }
    *out = trigram_backoff(t, b, w, (double)ctx->bow);
    return 0;
}

/* *out = weight * log10 P(c | a b), from the cache or scored and remembered; -1 on error */
static int cache_score(ScoreCache *c, long a, long b, long w, double *out) {
    if (a < 0 || b < 0 || w < 0 || a >= (1L << ID_BITS) || b >= (1L << ID_BITS) ||
        w >= (1L << ID_BITS) || (c->has_tables && !trigram_ids_ok(&c->tables, a, b, w))) {
        PyErr_Format(PyExc_IndexError, "word id out of the model's range: (%ld, %ld, %ld)", a, b,
                     w);
        return -1;
    }
    uint64_t key = ((((uint64_t)a << ID_BITS) | (uint64_t)b) << ID_BITS | (uint64_t)w) + 1;
    size_t mask = c->capacity - 1, s = slot_of(key, c->capacity);
    while (c->slots[s].key) {
        if (c->slots[s].key == key) {
            *out = c->slots[s].val;
            return 0;
        }
        s = (s + 1) & mask;
    }
    double lp;
    if (c->contexts != NULL) {
        if (context_logprob(c, (uint64_t)a, (uint64_t)b, (uint64_t)w, &lp) < 0) return -1;
    } else if (c->has_tables) {
        lp = trigram_logprob(&c->tables, (uint64_t)a, (uint64_t)b, (uint64_t)w);
    } else {
        PyObject *r = PyObject_CallFunction(c->logprob, "lll", a, b, w);
        if (r == NULL) return -1;
        lp = PyFloat_AsDouble(r);
        Py_DECREF(r);
        if (lp == -1.0 && PyErr_Occurred()) return -1;
    }
    double v = c->weight * lp;
    if (c->count >= c->limit) { /* bound memory: start afresh */
        cache_empty(c);
    } else if ((c->count + 1) * 2 > c->capacity) {
        if (cache_grow(c) < 0) return -1;
    }
    mask = c->capacity - 1;
    s = slot_of(key, c->capacity);
    while (c->slots[s].key) s = (s + 1) & mask;
    c->slots[s].key = key;
    c->slots[s].val = v;
    c->count++;
    *out = v;
    return 0;
}

static int as_id(PyObject *o, long *out) {
    *out = PyLong_AsLong(o);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

static PyObject *ScoreCache_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    double weight;
    Py_ssize_t limit;
    PyObject *source;
    static char *kwlist[] = {"weight", "limit", "source", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "dnO:ScoreCache", kwlist, &weight, &limit,
                                     &source))
        return NULL;
    if (limit < 1) {
        PyErr_SetString(PyExc_ValueError, "limit must be positive");
        return NULL;
    }
    ScoreCache *c = (ScoreCache *)type->tp_alloc(type, 0);
    if (c == NULL) return NULL;
    c->weight = weight;
    c->limit = (size_t)limit;
    if (PyTuple_Check(source)) {
        if (PyTuple_GET_SIZE(source) != TRIGRAM_TABLES + 1) {
            PyErr_SetString(PyExc_TypeError,
                            "source: the nine trigram tables and the bits per id, or a callable");
            Py_DECREF(c);
            return NULL;
        }
        if (trigram_acquire(&c->tables, PySequence_Fast_ITEMS(source),
                            PyTuple_GET_ITEM(source, TRIGRAM_TABLES)) < 0) {
            Py_DECREF(c);
            return NULL;
        }
        c->has_tables = 1;
    } else if (PyCallable_Check(source)) {
        Py_INCREF(source);
        c->logprob = source;
    } else {
        PyErr_SetString(PyExc_TypeError,
                        "source: the nine trigram tables and the bits per id, or a callable");
        Py_DECREF(c);
        return NULL;
    }
    /* contexts index keys3 with int32: larger tables are searched whole each time */
    int contexts = c->has_tables && c->tables.views[0].len / 8 < INT32_MAX;
    if (cache_alloc(c, MIN_CAPACITY) < 0 || (contexts && contexts_alloc(c, MIN_CAPACITY) < 0)) {
        Py_DECREF(c);
        return NULL;
    }
    return (PyObject *)c;
}

static void ScoreCache_dealloc(ScoreCache *c) {
    if (c->has_tables) trigram_release(&c->tables);
    Py_XDECREF(c->logprob);
    PyMem_Free(c->slots);
    PyMem_Free(c->contexts);
    Py_TYPE(c)->tp_free((PyObject *)c);
}

static PyObject *ScoreCache_score(ScoreCache *c, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "score(a, b, c) takes 3 arguments");
        return NULL;
    }
    long a, b, w;
    double v;
    if (as_id(args[0], &a) < 0 || as_id(args[1], &b) < 0 || as_id(args[2], &w) < 0) return NULL;
    if (cache_score(c, a, b, w, &v) < 0) return NULL;
    return PyFloat_FromDouble(v);
}

static PyObject *ScoreCache_clear(ScoreCache *c, PyObject *unused) {
    cache_empty(c);
    Py_RETURN_NONE;
}

static Py_ssize_t ScoreCache_len(ScoreCache *c) { return (Py_ssize_t)c->count; }

static PyMethodDef ScoreCache_methods[] = {
    {"score", (PyCFunction)(void (*)(void))ScoreCache_score, METH_FASTCALL,
     "score(a, b, c) -> weight * log10 P(c | a b), cached"},
    {"clear", (PyCFunction)ScoreCache_clear, METH_NOARGS, "forget every cached score"},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods ScoreCache_as_sequence = {
    .sq_length = (lenfunc)ScoreCache_len,
};

static PyTypeObject ScoreCacheType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "ocr_pipeline.restore._lattice.ScoreCache",
    .tp_basicsize = sizeof(ScoreCache),
    .tp_dealloc = (destructor)ScoreCache_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "ScoreCache(weight, limit, source): weighted trigram scores of a language model,\n"
              "cached. source: (keys3, logp3, starts3, keys2, logp2, bow2, starts2, bow1, logp1,\n"
              "bits), the model's tables (see _lm_lookup.trigram_logprobs), or a callable\n"
              "logprob(a, b, c) -> log10 P(c | a b). At `limit` entries the cache is emptied.",
    .tp_new = ScoreCache_new,
    .tp_methods = ScoreCache_methods,
    .tp_as_sequence = &ScoreCache_as_sequence,
};

static ScoreCache *as_cache(PyObject *o) {
    if (!PyObject_TypeCheck(o, &ScoreCacheType)) {
        PyErr_SetString(PyExc_TypeError, "scores must be a ScoreCache");
        return NULL;
    }
    return (ScoreCache *)o;
}

/* table.get(key, 0.0) for a dict `table` (or 0.0 when table is not a dict) */
static int get_or_zero(PyObject *table, PyObject *key, double *out) {
    *out = 0.0;
    if (table == NULL || !PyDict_Check(table)) return 0;
    PyObject *v = PyDict_GetItemWithError(table, key);
    if (v == NULL) return PyErr_Occurred() ? -1 : 0;
    *out = PyFloat_AsDouble(v);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* the pair bonus of `key` after a word: the larger of its term bonus (`term`: the term
   successors of that word) and its place-name bonus (`place`, NULL or None when the two
   words are not both capitalised), 0.0 where neither table has it. The one rule of the
   Viterbi (bonus_of) and the local pass (local_terms). */
static int larger_bonus(PyObject *term, PyObject *place, PyObject *key, double *out) {
    double other;
    if (get_or_zero(term, key, out) < 0) return -1;
    if (place == NULL || place == Py_None) return 0;
    if (get_or_zero(place, key, &other) < 0) return -1;
    if (other > *out) *out = other;
    return 0;
}

/* the bonus of `form` after a predecessor (larger_bonus); *has: either table is not empty
   (the bonus, 0.0 included, is added only then) */
static int bonus_of(PyObject *term, PyObject *place, PyObject *form, int *has, double *out) {
    int term_any = term != NULL && PyDict_Check(term) && PyDict_GET_SIZE(term) > 0;
    int place_any = place != NULL && PyDict_Check(place) && PyDict_GET_SIZE(place) > 0;
    *has = term_any || place_any;
    *out = 0.0;
    if (!*has) return 0;
    return larger_bonus(term_any ? term : NULL, place_any ? place : NULL, form, out);
}

typedef struct {
    Py_ssize_t k;    /* predecessor index */
    double d;        /* its score */
    long a, b;       /* its context: its best history and its own id */
    PyObject *term;  /* term successors of its form (borrowed, may be NULL) */
    PyObject *place; /* place successors, when both words are capitalised (borrowed) */
} Active;

PyDoc_STRVAR(viterbi_doc,
"viterbi(ids, forms, chans, caps, bos, scores, term_next, place_next, beam)\n\
        -> [candidate index per position]\n\
\n\
The best path through a segment's lattice: ids, forms, chans: per position, the\n\
candidates' LM ids, forms and channel scores (tuples); caps: per position, the word is\n\
capitalised; bos: the id of the sentence start (the first position's history);\n\
scores: the ScoreCache of weighted trigram scores. Predecessors more than `beam` below\n\
the best are not extended. term_next / place_next: {form: {next form: bonus}} (place\n\
bonuses between two capitalised words).");

static PyObject *viterbi(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "viterbi() takes 9 arguments");
        return NULL;
    }
    PyObject *ids = args[0], *forms = args[1], *chans = args[2], *caps = args[3];
    PyObject *term_next = args[6], *place_next = args[7];
    long bos;
    if (as_id(args[4], &bos) < 0) return NULL;
    ScoreCache *cache = as_cache(args[5]);
    if (cache == NULL) return NULL;
    double beam = PyFloat_AsDouble(args[8]);
    if (beam == -1.0 && PyErr_Occurred()) return NULL;
    if (!PyList_Check(ids) || !PyList_Check(forms) || !PyList_Check(chans) ||
        !PyList_Check(caps) || !PyDict_Check(term_next) || !PyDict_Check(place_next)) {
        PyErr_SetString(PyExc_TypeError, "viterbi(): lists, then dicts");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(ids);
    if (n == 0 || PyList_GET_SIZE(forms) != n || PyList_GET_SIZE(chans) != n ||
        PyList_GET_SIZE(caps) != n) {
        PyErr_SetString(PyExc_ValueError, "viterbi(): positions of different lengths");
        return NULL;
    }
    /* offsets of each position's candidates in the flat arrays */
    Py_ssize_t *off = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    if (off == NULL) return PyErr_NoMemory();
    off[0] = 0;
    Py_ssize_t widest = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(ids, i), *f = PyList_GET_ITEM(forms, i);
        PyObject *c = PyList_GET_ITEM(chans, i);
        if (!PyTuple_Check(t) || !PyTuple_Check(f) || !PyTuple_Check(c) ||
            PyTuple_GET_SIZE(f) != PyTuple_GET_SIZE(t) ||
            PyTuple_GET_SIZE(c) != PyTuple_GET_SIZE(t) || PyTuple_GET_SIZE(t) == 0) {
            PyMem_Free(off);
            PyErr_SetString(PyExc_ValueError, "viterbi(): a position's tuples do not match");
            return NULL;
        }
        off[i + 1] = off[i] + PyTuple_GET_SIZE(t);
        if (PyTuple_GET_SIZE(t) > widest) widest = PyTuple_GET_SIZE(t);
    }
    Py_ssize_t total = off[n];
    double *delta = PyMem_Malloc((size_t)total * sizeof(double));
    double *chan = PyMem_Malloc((size_t)total * sizeof(double));
    Py_ssize_t *back = PyMem_Malloc((size_t)total * sizeof(Py_ssize_t));
    long *cid = PyMem_Malloc((size_t)total * sizeof(long));
    long *hist = PyMem_Malloc((size_t)total * sizeof(long));
    Active *active = PyMem_Malloc((size_t)widest * sizeof(Active));
    PyObject *result = NULL;
    if (!delta || !chan || !back || !cid || !hist || !active) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(ids, i), *c = PyList_GET_ITEM(chans, i);
        for (Py_ssize_t j = 0; j < off[i + 1] - off[i]; j++) {
            if (as_id(PyTuple_GET_ITEM(t, j), &cid[off[i] + j]) < 0) goto done;
            chan[off[i] + j] = PyFloat_AsDouble(PyTuple_GET_ITEM(c, j));
            if (chan[off[i] + j] == -1.0 && PyErr_Occurred()) goto done;
        }
    }
    for (Py_ssize_t j = 0; j < off[1]; j++) { /* the first position: after <s> <s> */
        double v;
        if (cache_score(cache, bos, bos, cid[j], &v) < 0) goto done;
        delta[j] = chan[j] + v;
        back[j] = -1;
        hist[j] = bos;
    }

    for (Py_ssize_t i = 1; i < n; i++) {
        PyObject *pforms = PyList_GET_ITEM(forms, i - 1), *cforms = PyList_GET_ITEM(forms, i);
        int both_caps = PyObject_IsTrue(PyList_GET_ITEM(caps, i - 1)) &&
                        PyObject_IsTrue(PyList_GET_ITEM(caps, i));
        double *pd = delta + off[i - 1];
        long *ph = hist + off[i - 1], *pid = cid + off[i - 1];
        Py_ssize_t np = off[i] - off[i - 1], m = off[i + 1] - off[i];
        double top = pd[0];
        for (Py_ssize_t k = 1; k < np; k++)
            if (pd[k] > top) top = pd[k];
        double floor = top - beam;
        /* the predecessors within the beam, their contexts and bonus tables */
        Py_ssize_t n_active = 0;
        for (Py_ssize_t k = 0; k < np; k++) {
            if (!(pd[k] >= floor)) continue;
            Active *a = &active[n_active++];
            PyObject *pform = PyTuple_GET_ITEM(pforms, k);
            a->k = k;
            a->d = pd[k];
            a->a = ph[k];
            a->b = pid[k];
            a->term = PyDict_GetItemWithError(term_next, pform);
            a->place = NULL;
            if (a->term == NULL && PyErr_Occurred()) goto done;
            if (both_caps) {
                a->place = PyDict_GetItemWithError(place_next, pform);
                if (a->place == NULL && PyErr_Occurred()) goto done;
            }
        }
        double *row_d = delta + off[i], *row_c = chan + off[i];
        Py_ssize_t *row_b = back + off[i];
        long *row_h = hist + off[i], *row_id = cid + off[i];
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *form = PyTuple_GET_ITEM(cforms, j);
            double best = -INFINITY;
            Py_ssize_t arg = 0;
            for (Py_ssize_t t = 0; t < n_active; t++) {
                double v, bonus;
                if (cache_score(cache, active[t].a, active[t].b, row_id[j], &v) < 0) goto done;
                int has;
                if (bonus_of(active[t].term, active[t].place, form, &has, &bonus) < 0) goto done;
                if (n_active == 1) { /* one predecessor: the former loop summed in this order */
                    if (has) v += bonus;
                    best = v + active[t].d + row_c[j];
                    arg = active[t].k;
                    break;
                }
                v += active[t].d;
                if (has) v += bonus;
                if (v > best) {
                    best = v;
                    arg = active[t].k;
                }
            }
            row_d[j] = n_active == 1 ? best : best + row_c[j];
            row_b[j] = arg;
            row_h[j] = pid[arg];
        }
    }
    /* the best last candidate (the first of equals), then back through the pointers */
    {
        double *last = delta + off[n - 1];
        Py_ssize_t j = 0;
        for (Py_ssize_t k = 1; k < off[n] - off[n - 1]; k++)
            if (last[k] > last[j]) j = k;
        result = PyList_New(n);
        if (result == NULL) goto done;
        for (Py_ssize_t i = n - 1; i >= 0; i--) {
            PyObject *v = PyLong_FromSsize_t(j);
            if (v == NULL) {
                Py_CLEAR(result);
                goto done;
            }
            PyList_SET_ITEM(result, i, v);
            j = back[off[i] + j];
        }
    }

done:
    PyMem_Free(off);
    PyMem_Free(delta);
    PyMem_Free(chan);
    PyMem_Free(back);
    PyMem_Free(cid);
    PyMem_Free(hist);
    PyMem_Free(active);
    return result;
}

/* ------------------------------------------------------------ the local scores */

/* attribute names, interned once (module init) */
static PyObject *str_form, *str_chan, *str_lm_id;

/* a candidate's form (new reference), channel score and LM id (a `Cand`) */
static int cand_fields(PyObject *c, PyObject **form, double *chan, long *id) {
    *form = NULL;
    PyObject *ch = PyObject_GetAttr(c, str_chan);
    if (ch == NULL) return -1;
    *chan = PyFloat_AsDouble(ch);
    Py_DECREF(ch);
    if (*chan == -1.0 && PyErr_Occurred()) return -1;
    PyObject *i = PyObject_GetAttr(c, str_lm_id);
    if (i == NULL) return -1;
    int bad = as_id(i, id);
    Py_DECREF(i);
    if (bad < 0) return -1;
    return (*form = PyObject_GetAttr(c, str_form)) == NULL ? -1 : 0;
}

/* the local score of one candidate (see local_scores) into *out */
static int local_terms(ScoreCache *cache, PyObject *form, double chan, long id, long a, long b,
                       long n1, long n2, PyObject *nform, PyObject *before,
                       PyObject *before_place, int after_caps, PyObject *term_next,
                       PyObject *place_next, double *out) {
    double v, bonus;
    if (cache_score(cache, a, b, id, &v) < 0) return -1;
    double s = chan + v;
    if (before != Py_None) {
        if (larger_bonus(before, before_place, form, &bonus) < 0) return -1;
        s += bonus;
    }
    if (n1 >= 0) {
        if (cache_score(cache, b, id, n1, &v) < 0) return -1;
        s += v;
        PyObject *row = PyDict_GetItemWithError(term_next, form), *place_row = NULL;
        if (row == NULL && PyErr_Occurred()) return -1;
        if (after_caps) {
            place_row = PyDict_GetItemWithError(place_next, form);
            if (place_row == NULL && PyErr_Occurred()) return -1;
        }
        if (larger_bonus(row, place_row, nform, &bonus) < 0) return -1;
        s += bonus;
        if (n2 >= 0) {
            if (cache_score(cache, id, n1, n2, &v) < 0) return -1;
            s += v;
        }
    }
    *out = s;
    return 0;
}

/* a chosen word's LM id and form (new reference) */
static int chosen_fields(PyObject *chosen, Py_ssize_t i, long *id, PyObject **form) {
    PyObject *c = PyList_GET_ITEM(chosen, i);
    PyObject *v = PyObject_GetAttr(c, str_lm_id);
    if (v == NULL) return -1;
    int bad = as_id(v, id);
    Py_DECREF(v);
    if (bad < 0) return -1;
    return (*form = PyObject_GetAttr(c, str_form)) == NULL ? -1 : 0;
}

/* the local score of each candidate of `col` (a tuple or list of Cand) at position i of
   the chosen path (see local_scores), into out[0:len(col)]; -1 on error */
static int scores_into(Py_ssize_t i, PyObject *col, PyObject *chosen, PyObject *caps, long bos,
                       PyObject *term_next, PyObject *place_next, PyObject *no_bonus,
                       ScoreCache *cache, double *out) {
    Py_ssize_t n = PyList_GET_SIZE(chosen);
    long a = bos, b = bos, n1 = -1, n2 = -1, id;
    PyObject *before = Py_None, *before_place = Py_None, *nform = NULL, *form = NULL;
    int after_caps = 0, status = -1;
    int cap_i = PyObject_IsTrue(PyList_GET_ITEM(caps, i));
    if (cap_i < 0) return -1;
    if (i >= 2) {
        if (chosen_fields(chosen, i - 2, &a, &form) < 0) return -1;
        Py_CLEAR(form);
    }
    if (i >= 1) {
        if (chosen_fields(chosen, i - 1, &b, &form) < 0) return -1;
        /* the previous word's successors, an empty table when it has none */
        before = PyDict_GetItemWithError(term_next, form);
        if (before == NULL && PyErr_Occurred()) goto done;
        if (before == NULL) before = no_bonus;
        int cap_prev = PyObject_IsTrue(PyList_GET_ITEM(caps, i - 1));
        if (cap_prev < 0) goto done;
        if (cap_prev && cap_i) {
            before_place = PyDict_GetItemWithError(place_next, form);
            if (before_place == NULL && PyErr_Occurred()) goto done;
            if (before_place == NULL) before_place = no_bonus;
        }
        Py_CLEAR(form);
    }
    if (i + 1 < n) {
        if (chosen_fields(chosen, i + 1, &n1, &nform) < 0) goto done;
        int cap_next = PyObject_IsTrue(PyList_GET_ITEM(caps, i + 1));
        if (cap_next < 0) goto done;
        after_caps = cap_i && cap_next;
        if (i + 2 < n) {
            if (chosen_fields(chosen, i + 2, &n2, &form) < 0) goto done;
            Py_CLEAR(form);
        }
    }
    Py_ssize_t m = PySequence_Fast_GET_SIZE(col);
    for (Py_ssize_t k = 0; k < m; k++) {
        double chan;
        if (cand_fields(PySequence_Fast_GET_ITEM(col, k), &form, &chan, &id) < 0) goto done;
        int bad = local_terms(cache, form, chan, id, a, b, n1, n2, nform, before, before_place,
                              after_caps, term_next, place_next, &out[k]);
        Py_CLEAR(form);
        if (bad < 0) goto done;
    }
    status = 0;
done:
    Py_XDECREF(form);
    Py_XDECREF(nform);
    return status;
}

/* a list of the m floats of `scores` */
static PyObject *float_list(const double *scores, Py_ssize_t m) {
    PyObject *out = PyList_New(m);
    if (out == NULL) return NULL;
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *f = PyFloat_FromDouble(scores[k]);
        if (f == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k, f);
    }
    return out;
}

/* `scores_into` as a new list of floats */
static PyObject *scores_at(Py_ssize_t i, PyObject *col, PyObject *chosen, PyObject *caps,
                           long bos, PyObject *term_next, PyObject *place_next,
                           PyObject *no_bonus, ScoreCache *cache) {
    PyObject *fast = PySequence_Fast(col, "a column must be a sequence of Cand");
    if (fast == NULL) return NULL;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(fast);
    double *buf = PyMem_Malloc((size_t)(m > 0 ? m : 1) * sizeof(double));
    PyObject *out = NULL;
    if (buf == NULL)
        PyErr_NoMemory();
    else if (scores_into(i, fast, chosen, caps, bos, term_next, place_next, no_bonus, cache,
                         buf) == 0)
        out = float_list(buf, m);
    PyMem_Free(buf);
    Py_DECREF(fast);
    return out;
}

/* the arguments both local_scores and local_pass check */
static int local_args(PyObject *chosen, PyObject *caps, PyObject *bos_obj, PyObject *term_next,
                      PyObject *place_next, PyObject *no_bonus, PyObject *scores, long *bos,
                      ScoreCache **cache) {
    if (!PyList_Check(chosen) || !PyList_Check(caps) ||
        PyList_GET_SIZE(caps) != PyList_GET_SIZE(chosen)) {
        PyErr_SetString(PyExc_TypeError, "chosen and caps: lists of one length");
        return -1;
    }
    if (!PyDict_Check(term_next) || !PyDict_Check(place_next) || !PyDict_Check(no_bonus)) {
        PyErr_SetString(PyExc_TypeError, "the bonus tables must be dicts");
        return -1;
    }
    if ((*cache = as_cache(scores)) == NULL) return -1;
    return as_id(bos_obj, bos);
}

PyDoc_STRVAR(local_scores_doc,
"local_scores(i, col, chosen, caps, bos, term_next, place_next, no_bonus, scores) -> [float]\n\
\n\
The local score of each candidate (a Cand) of `col` at position i of the chosen path\n\
`chosen` (a list of Cand; caps: per position, the word is capitalised): channel score +\n\
LM score after the two chosen words before it (`bos` before the start) + the pair bonus\n\
after the previous word (its term successors; the larger of those and its place\n\
successors when both words are capitalised; `no_bonus`, an empty dict, for a word\n\
without any) + the LM score of the next chosen word after (previous, candidate) + the\n\
pair bonus with the next word (term, or the larger of term and place when both are\n\
capitalised) + the LM score of the word after it after (candidate, next). scores: the\n\
ScoreCache of weighted trigram scores.");

static PyObject *local_scores(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "local_scores() takes 9 arguments");
        return NULL;
    }
    Py_ssize_t i = PyLong_AsSsize_t(args[0]);
    if (i == -1 && PyErr_Occurred()) return NULL;
    long bos;
    ScoreCache *cache;
    if (local_args(args[2], args[3], args[4], args[5], args[6], args[7], args[8], &bos,
                   &cache) < 0)
        return NULL;
    if (i < 0 || i >= PyList_GET_SIZE(args[2])) {
        PyErr_SetString(PyExc_IndexError, "local_scores(): position out of the path");
        return NULL;
    }
    return scores_at(i, args[1], args[2], args[3], bos, args[5], args[6], args[7], cache);
}

PyDoc_STRVAR(local_pass_doc,
"local_pass(lattice, chosen, path, todo, caps, bos, term_next, place_next, no_bonus,\n\
           scores, margin, keep) -> {position: [float]}\n\
\n\
One left-to-right pass of local re-scoring over the chosen path (`chosen`, a list of\n\
Cand, changed in place; `path`: the Viterbi's candidate index per position): at each\n\
position with todo[i], the local scores of lattice[i] (see local_scores); when the best\n\
(the first of equals) beats the Viterbi's choice by more than `margin`, it is chosen\n\
instead. Returns the scores of the positions whose neighbours have not changed since\n\
(an empty dict unless `keep`: the scores are wanted only for posteriors).");

static PyObject *local_pass(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 12) {
        PyErr_SetString(PyExc_TypeError, "local_pass() takes 12 arguments");
        return NULL;
    }
    PyObject *lattice = args[0], *chosen = args[1], *path = args[2], *todo = args[3];
    long bos;
    ScoreCache *cache;
    if (local_args(chosen, args[4], args[5], args[6], args[7], args[8], args[9], &bos,
                   &cache) < 0)
        return NULL;
    double margin = PyFloat_AsDouble(args[10]);
    if (margin == -1.0 && PyErr_Occurred()) return NULL;
    int keep = PyObject_IsTrue(args[11]);
    if (keep < 0) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(chosen);
    if (!PyList_Check(lattice) || !PyList_Check(path) || !PyList_Check(todo) ||
        PyList_GET_SIZE(lattice) != n || PyList_GET_SIZE(path) != n ||
        PyList_GET_SIZE(todo) != n) {
        PyErr_SetString(PyExc_TypeError, "lattice, path and todo: lists as long as chosen");
        return NULL;
    }
    PyObject *local = PyDict_New();
    double *buf = NULL;
    Py_ssize_t buf_size = 0;
    if (local == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        int want = PyObject_IsTrue(PyList_GET_ITEM(todo, i));
        if (want < 0) goto fail;
        if (!want) continue;
        PyObject *col = PyList_GET_ITEM(lattice, i);
        if (!PyTuple_Check(col) && !PyList_Check(col)) {
            PyErr_SetString(PyExc_TypeError, "a column must be a tuple or list of Cand");
            goto fail;
        }
        Py_ssize_t m = PySequence_Fast_GET_SIZE(col), best = 0;
        if (m > buf_size) {
            double *more = PyMem_Realloc(buf, (size_t)m * sizeof(double));
            if (more == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            buf = more;
            buf_size = m;
        }
        if (scores_into(i, col, chosen, args[4], bos, args[6], args[7], args[8], cache, buf) <
            0)
            goto fail;
        if (keep) {
            PyObject *scores = float_list(buf, m);
            PyObject *key = scores == NULL ? NULL : PyLong_FromSsize_t(i);
            int bad = key == NULL || PyDict_SetItem(local, key, scores) < 0;
            Py_XDECREF(key);
            Py_XDECREF(scores);
            if (bad) goto fail;
        }
        Py_ssize_t now = PyLong_AsSsize_t(PyList_GET_ITEM(path, i));
        if (now == -1 && PyErr_Occurred()) goto fail;
        if (now < 0 || now >= m) {
            PyErr_SetString(PyExc_IndexError, "local_pass(): path index out of its column");
            goto fail;
        }
        for (Py_ssize_t k = 1; k < m; k++)
            if (buf[k] > buf[best]) best = k;
        if (buf[best] > buf[now] + margin) {
            PyObject *c = PySequence_Fast_GET_ITEM(col, best);
            Py_INCREF(c);
            if (PyList_SetItem(chosen, i, c) < 0) goto fail; /* steals c */
            /* the scores of the two positions before involve word i */
            for (Py_ssize_t back = 1; keep && back <= 2 && i - back >= 0; back++) {
                PyObject *k2 = PyLong_FromSsize_t(i - back);
                if (k2 == NULL) goto fail;
                int has = PyDict_Contains(local, k2);
                if (has > 0 && PyDict_DelItem(local, k2) < 0) has = -1;
                Py_DECREF(k2);
                if (has < 0) goto fail;
            }
        }
    }
    PyMem_Free(buf);
    return local;
fail:
    PyMem_Free(buf);
    Py_DECREF(local);
    return NULL;
}

static PyMethodDef methods[] = {
    {"viterbi", (PyCFunction)(void (*)(void))viterbi, METH_FASTCALL, viterbi_doc},
    {"local_scores", (PyCFunction)(void (*)(void))local_scores, METH_FASTCALL, local_scores_doc},
    {"local_pass", (PyCFunction)(void (*)(void))local_pass, METH_FASTCALL, local_pass_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lattice",
    "Compiled lattice loops of ocr_pipeline.restore.decoder (see the C source's header).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__lattice(void) {
    str_form = PyUnicode_InternFromString("form");
    str_chan = PyUnicode_InternFromString("chan");
    str_lm_id = PyUnicode_InternFromString("lm_id");
    if (!str_form || !str_chan || !str_lm_id) return NULL;
    if (PyType_Ready(&ScoreCacheType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&ScoreCacheType);
    if (PyModule_AddObject(m, "ScoreCache", (PyObject *)&ScoreCacheType) < 0) {
        Py_DECREF(&ScoreCacheType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
