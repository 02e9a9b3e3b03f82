/* Compiled inner loops of the OCR channel (ocr_pipeline/restore/channel.py).

   The channel's two hot loops, the only implementation of each:

   - search(): the best-first search of vocabulary skeletons an OCR token could be a
     rendering of (`Channel._search_skeletons` prepares its tables and reads its result);
   - dp_score(): log P(ocr | syllable), the alignment dynamic programme behind
     `Channel.logprob`; rank(): the same for the syllables of the skeletons found, with
     the search's bound on what can still enter the top k (`Channel.candidates`).

   Both compute in C doubles exactly what the former Python loops computed (same
   operations, same order, same tie-breaking), so restoration output is bit for bit the
   same. The search's heap orders states as Python compared the former tuples
   (-cost, j, prefix, deletions, insertions, wildcards, reaches): prefixes are trie
   nodes numbered in sorted string order, so comparing numbers compares the strings. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ the search */

typedef struct {
    double negc; /* minus the path's log probability (the heap pops the smallest) */
    int32_t j;   /* OCR characters consumed */
    int32_t node; /* skeleton prefix: trie node, numbered in sorted string order */
    int8_t nd, ni, nw, nr; /* deletions, insertions, wildcards, reaches used */
} State;

static inline int state_less(const State *a, const State *b) {
    if (a->negc != b->negc) return a->negc < b->negc;
    if (a->j != b->j) return a->j < b->j;
    if (a->node != b->node) return a->node < b->node;
    if (a->nd != b->nd) return a->nd < b->nd;
    if (a->ni != b->ni) return a->ni < b->ni;
    if (a->nw != b->nw) return a->nw < b->nw;
    return a->nr < b->nr;
}

typedef struct {
    State *items;
    Py_ssize_t len, cap;
} Heap;

static int heap_push(Heap *h, State s) {
    if (h->len == h->cap) {
        Py_ssize_t cap = h->cap ? 2 * h->cap : 256;
        State *items = PyMem_Realloc(h->items, (size_t)cap * sizeof(State));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        h->items = items;
        h->cap = cap;
    }
    Py_ssize_t i = h->len++;
    while (i > 0) {
        Py_ssize_t parent = (i - 1) / 2;
        if (!state_less(&s, &h->items[parent])) break;
        h->items[i] = h->items[parent];
        i = parent;
    }
    h->items[i] = s;
    return 0;
}

static State heap_pop(Heap *h) {
    State top = h->items[0];
    State last = h->items[--h->len];
    Py_ssize_t i = 0, n = h->len;
    for (;;) {
        Py_ssize_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && state_less(&h->items[c + 1], &h->items[c])) c++;
        if (!state_less(&h->items[c], &last)) break;
        h->items[i] = h->items[c];
        i = c;
    }
    if (n > 0) h->items[i] = last;
    return top;
}

/* open-addressing set of visited (j, node, counters) keys; 0 marks an empty slot */
typedef struct {
    uint64_t *slots;
    size_t mask;
} Seen;

static inline uint64_t state_key(const State *s) {
    return ((uint64_t)(uint32_t)s->node << 24) | ((uint64_t)(uint16_t)s->j << 8) |
           ((uint64_t)(s->nd & 3) << 6) | ((uint64_t)(s->ni & 3) << 4) |
           ((uint64_t)(s->nw & 3) << 2) | (uint64_t)(s->nr & 3);
}

/* 1 when the key was new (and is now in), 0 when seen before */
static inline int seen_add(Seen *set, uint64_t key) {
    key += 1;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 17) & set->mask;
    while (set->slots[i]) {
        if (set->slots[i] == key) return 0;
        i = (i + 1) & set->mask;
    }
    set->slots[i] = key;
    return 1;
}

typedef struct {
    int32_t letter;
    double lp;
} Option;

/* a sequence of (letter index, log probability) pairs -> options (letters < 0 skipped) */
static Py_ssize_t read_options(PyObject *seq, Option *out, Py_ssize_t room) {
    PyObject *fast = PySequence_Fast(seq, "options must be a sequence of (letter, logp)");
    if (fast == NULL) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast), k = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(fast, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_TypeError, "an option must be a (letter, logp) tuple");
            return -1;
        }
        long letter = PyLong_AsLong(PyTuple_GET_ITEM(pair, 0));
        double lp = PyFloat_AsDouble(PyTuple_GET_ITEM(pair, 1));
        if (PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
        if (letter < 0) continue;
        if (k >= room) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_ValueError, "more options than letters");
            return -1;
        }
        out[k].letter = (int32_t)letter;
        out[k].lp = lp;
        k++;
    }
    Py_DECREF(fast);
    return k;
}

PyDoc_STRVAR(search_doc,
"search(children, letters, is_word, steps, dels, reach_dels, wild_mask, wild, limits)\n\
-> [(node, cost)]\n\
\n\
Best-first search of the skeleton trie for an OCR token of len(steps) characters.\n\
children: int32 buffer, node * letters + letter -> child node or -1 (node 0: the root);\n\
is_word: uint8 buffer, node -> 1 when the prefix is a whole skeleton; steps[j]: (options\n\
reading character j, reach options, bitmask of the letters those options name, options\n\
reading characters j and j+1, insertion cost of character j); dels: deletion options;\n\
reach_dels: deletions that take the token's reach step (a vowel the OCR dropped);\n\
wild_mask: letters an arbitrary misreading may give, at cost wild; limits: (max wildcards,\n\
max deletions, max insertions, max reaches, margin, max skeletons, max expansions).\n\
Returns the skeletons found (node, cost of the best path), in the order found.");

static PyObject *search(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "search() takes 9 arguments");
        return NULL;
    }
    PyObject *steps_obj = args[3];
    int max_wild, max_del, max_ins, max_reach, max_skel, max_exp;
    double margin;
    if (!PyArg_ParseTuple(args[8], "iiiidii;limits: 7 numbers", &max_wild, &max_del, &max_ins,
                          &max_reach, &margin, &max_skel, &max_exp))
        return NULL;
    long letters = PyLong_AsLong(args[1]);
    unsigned long long wild_mask = PyLong_AsUnsignedLongLong(args[6]);
    double wild = PyFloat_AsDouble(args[7]);
    if (PyErr_Occurred()) return NULL;
    if (letters <= 0 || letters > 64) {
        PyErr_SetString(PyExc_ValueError, "between 1 and 64 skeleton letters");
        return NULL;
    }
    if (!PyList_Check(steps_obj)) {
        PyErr_SetString(PyExc_TypeError, "steps must be a list");
        return NULL;
    }

    Py_buffer children_buf, word_buf;
    if (PyObject_GetBuffer(args[0], &children_buf, PyBUF_SIMPLE) < 0) return NULL;
    if (PyObject_GetBuffer(args[2], &word_buf, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&children_buf);
        return NULL;
    }
    const int32_t *children = (const int32_t *)children_buf.buf;
    const uint8_t *is_word = (const uint8_t *)word_buf.buf;
    Py_ssize_t n_nodes = word_buf.len;
    PyObject *result = NULL;
    Py_ssize_t m = PyList_GET_SIZE(steps_obj);
    size_t per = (size_t)letters;
    Option *opt1 = NULL, *reach = NULL, *opt2 = NULL, *dels = NULL, *rdels = NULL;
    Py_ssize_t *n1 = NULL, *nreach = NULL, *n2 = NULL, ndels = 0, nrdels = 0;
    uint64_t *known = NULL;
    double *ins = NULL;
    Heap heap = {NULL, 0, 0};
    Seen seen = {NULL, 0};
    State found[64];
    Py_ssize_t nfound = 0;

    if (children_buf.len != n_nodes * (Py_ssize_t)per * (Py_ssize_t)sizeof(int32_t)) {
        PyErr_SetString(PyExc_ValueError, "children must hold nodes x letters int32 entries");
        goto done;
    }
    if (max_skel > 64) max_skel = 64;
    size_t slots = (size_t)(m + 1) * per;
    opt1 = PyMem_Malloc(slots * sizeof(Option));
    reach = PyMem_Malloc(slots * sizeof(Option));
    opt2 = PyMem_Malloc(slots * sizeof(Option));
    dels = PyMem_Malloc(per * sizeof(Option));
    rdels = PyMem_Malloc(per * sizeof(Option));
    n1 = PyMem_Malloc((size_t)(m + 1) * sizeof(Py_ssize_t));
    nreach = PyMem_Malloc((size_t)(m + 1) * sizeof(Py_ssize_t));
    n2 = PyMem_Malloc((size_t)(m + 1) * sizeof(Py_ssize_t));
    known = PyMem_Malloc((size_t)(m + 1) * sizeof(uint64_t));
    ins = PyMem_Malloc((size_t)(m + 1) * sizeof(double));
    size_t cap = 1;
    while (cap < 2 * (size_t)max_exp + 16) cap <<= 1;
    seen.slots = PyMem_Calloc(cap, sizeof(uint64_t));
    seen.mask = cap - 1;
    if (!opt1 || !reach || !opt2 || !dels || !rdels || !n1 || !nreach || !n2 || !known || !ins ||
        !seen.slots) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *step = PyList_GET_ITEM(steps_obj, j);
        if (!PyTuple_Check(step) || PyTuple_GET_SIZE(step) != 5) {
            PyErr_SetString(PyExc_TypeError, "a step must be a 5-tuple");
            goto done;
        }
        if ((n1[j] = read_options(PyTuple_GET_ITEM(step, 0), opt1 + j * per, letters)) < 0 ||
            (nreach[j] = read_options(PyTuple_GET_ITEM(step, 1), reach + j * per, letters)) < 0 ||
            (n2[j] = read_options(PyTuple_GET_ITEM(step, 3), opt2 + j * per, letters)) < 0)
            goto done;
        known[j] = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(step, 2));
        ins[j] = PyFloat_AsDouble(PyTuple_GET_ITEM(step, 4));
        if (PyErr_Occurred()) goto done;
    }
    if ((ndels = read_options(args[4], dels, letters)) < 0) goto done;
    if ((nrdels = read_options(args[5], rdels, letters)) < 0) goto done;

    State start = {0.0, 0, 0, 0, 0, 0, 0};
    if (heap_push(&heap, start) < 0) goto done;
    double best_done = -INFINITY, floor = -INFINITY;
    int expansions = 0;
    while (heap.len > 0 && expansions < max_exp) {
        State s = heap_pop(&heap);
        double cost = -s.negc;
        if (cost < best_done - margin) break;
        if (!seen_add(&seen, state_key(&s))) continue;
        expansions++;
        Py_ssize_t j = s.j;
        if (s.node < 0 || s.node >= n_nodes) {
            PyErr_SetString(PyExc_ValueError, "trie node out of range");
            goto done;
        }
        if (j == m && is_word[s.node]) {
            int known_node = 0;
            for (Py_ssize_t f = 0; f < nfound; f++)
                if (found[f].node == s.node) known_node = 1;
            if (!known_node) {
                found[nfound] = s;
                found[nfound].negc = cost; /* the cost, not its negation */
                nfound++;
                if (cost > best_done) best_done = cost;
                floor = best_done - margin;
                if (nfound >= max_skel) break;
            }
        }
        const int32_t *kids = children + (size_t)s.node * per;
        if (j < m) {
            const Option *o = opt1 + j * per;
            for (Py_ssize_t k = 0; k < n1[j]; k++) {
                int32_t p2 = kids[o[k].letter];
                if (p2 >= 0 && cost + o[k].lp >= floor) {
                    State t = {-(cost + o[k].lp), s.j + 1, p2, s.nd, s.ni, s.nw, s.nr};
                    if (heap_push(&heap, t) < 0) goto done;
                }
            }
            if (s.nr < max_reach) {
                const Option *r = reach + j * per;
                for (Py_ssize_t k = 0; k < nreach[j]; k++) {
                    int32_t p2 = kids[r[k].letter];
                    if (p2 >= 0 && cost + r[k].lp >= floor) {
                        State t = {-(cost + r[k].lp), s.j + 1, p2, s.nd, s.ni, s.nw,
                                   (int8_t)(s.nr + 1)};
                        if (heap_push(&heap, t) < 0) goto done;
                    }
                }
            }
            if (s.nw < max_wild && cost + wild >= floor) {
                uint64_t allowed = wild_mask & ~known[j];
                for (long b = 0; b < letters; b++) {
                    int32_t p2 = kids[b];
                    if (p2 >= 0 && (allowed >> b) & 1) {
                        State t = {-(cost + wild), s.j + 1, p2, s.nd, s.ni, (int8_t)(s.nw + 1),
                                   s.nr};
                        if (heap_push(&heap, t) < 0) goto done;
                    }
                }
            }
            if (j + 1 < m) {
                const Option *o2 = opt2 + j * per;
                for (Py_ssize_t k = 0; k < n2[j]; k++) {
                    int32_t p2 = kids[o2[k].letter];
                    if (p2 >= 0 && cost + o2[k].lp >= floor) {
                        State t = {-(cost + o2[k].lp), s.j + 2, p2, s.nd, s.ni, s.nw, s.nr};
                        if (heap_push(&heap, t) < 0) goto done;
                    }
                }
            }
            if (s.ni < max_ins && cost + ins[j] >= floor) {
                State t = {-(cost + ins[j]), s.j + 1, s.node, s.nd, (int8_t)(s.ni + 1), s.nw,
                           s.nr};
                if (heap_push(&heap, t) < 0) goto done;
            }
        }
        if (s.nd < max_del) {
            for (Py_ssize_t k = 0; k < ndels; k++) {
                int32_t p2 = kids[dels[k].letter];
                if (p2 >= 0 && cost + dels[k].lp >= floor) {
                    State t = {-(cost + dels[k].lp), s.j, p2, (int8_t)(s.nd + 1), s.ni, s.nw,
                               s.nr};
                    if (heap_push(&heap, t) < 0) goto done;
                }
            }
            if (s.nr < max_reach) {
                for (Py_ssize_t k = 0; k < nrdels; k++) {
                    int32_t p2 = kids[rdels[k].letter];
                    if (p2 >= 0 && cost + rdels[k].lp >= floor) {
                        State t = {-(cost + rdels[k].lp), s.j, p2, (int8_t)(s.nd + 1), s.ni,
                                   s.nw, (int8_t)(s.nr + 1)};
                        if (heap_push(&heap, t) < 0) goto done;
                    }
                }
            }
        }
    }
    result = PyList_New(nfound);
    if (result == NULL) goto done;
    for (Py_ssize_t f = 0; f < nfound; f++) {
        PyObject *item = Py_BuildValue("(id)", found[f].node, found[f].negc);
        if (item == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, f, item);
    }

done:
    PyMem_Free(opt1);
    PyMem_Free(reach);
    PyMem_Free(opt2);
    PyMem_Free(dels);
    PyMem_Free(rdels);
    PyMem_Free(n1);
    PyMem_Free(nreach);
    PyMem_Free(n2);
    PyMem_Free(known);
    PyMem_Free(ins);
    PyMem_Free(heap.items);
    PyMem_Free(seen.slots);
    PyBuffer_Release(&children_buf);
    PyBuffer_Release(&word_buf);
    return result;
}

/* ------------------------------------------------------------------ the alignment */

#define MAX_OCR 256

/* one OCR string and the channel tables, read once for many syllables */
#define ROW_CACHE 64 /* source characters whose costs against this OCR string are kept */

typedef struct {
    Py_UCS4 code;
    int known;    /* the table has a row for the character */
    double dele;  /* its deletion cost (-inf when the row has none) */
    double *e1;   /* e1[j]: emitting OCR character j (the row's entry, else `other`) */
    double *e2;   /* e2[j]: emitting characters j and j+1 (-inf when the row has none) */
} RowCosts;

typedef struct {
    Py_ssize_t m;
    Py_UCS4 codes[MAX_OCR];
    double ins[MAX_OCR];
    PyObject *chars, *pairs, *emit, *other, *empty; /* borrowed, except empty */
    double unk_self, unk_other, unk_two, no_insert;
    /* the costs of the source characters met so far: the syllables of one token share
       most of their characters, and each cell of the programme read two dict entries */
    RowCosts rows[ROW_CACHE];
    int nrows;
    double *costs; /* ROW_CACHE x 2 x m doubles behind rows[].e1 / e2 */
    RowCosts spare; /* a character beyond ROW_CACHE: computed again each time */
    double *spare_costs;
} Alignment;

static void alignment_free(Alignment *al) {
    Py_CLEAR(al->empty);
    PyMem_Free(al->costs);
    PyMem_Free(al->spare_costs);
    al->costs = al->spare_costs = NULL;
}

static int alignment_init(Alignment *al, PyObject *const *args) {
    PyObject *chars = args[0], *pairs = args[1], *ins_obj = args[2];
    PyObject *emit = args[3], *other = args[4];
    al->empty = NULL;
    al->costs = al->spare_costs = NULL;
    al->nrows = 0;
    if (!PyTuple_Check(chars) || !PyTuple_Check(pairs) || !PyTuple_Check(ins_obj) ||
        !PyDict_Check(emit) || !PyDict_Check(other)) {
        PyErr_SetString(PyExc_TypeError, "(tuple, tuple, tuple, dict, dict, ...) expected");
        return -1;
    }
    if (!PyArg_ParseTuple(args[5], "ddd;unknown: 3 costs", &al->unk_self, &al->unk_other,
                          &al->unk_two))
        return -1;
    al->no_insert = PyFloat_AsDouble(args[6]);
    if (PyErr_Occurred()) return -1;
    Py_ssize_t m = PyTuple_GET_SIZE(chars);
    if (m >= MAX_OCR || PyTuple_GET_SIZE(ins_obj) != m ||
        PyTuple_GET_SIZE(pairs) != (m > 0 ? m - 1 : 0)) {
        PyErr_SetString(PyExc_ValueError, "OCR string too long or tables misshaped");
        return -1;
    }
    for (Py_ssize_t j = 0; j < m; j++) {
        PyObject *ch = PyTuple_GET_ITEM(chars, j);
        if (!PyUnicode_Check(ch) || PyUnicode_GET_LENGTH(ch) != 1) {
            PyErr_SetString(PyExc_TypeError, "chars must be 1-character strings");
            return -1;
        }
        al->codes[j] = PyUnicode_READ_CHAR(ch, 0);
        al->ins[j] = PyFloat_AsDouble(PyTuple_GET_ITEM(ins_obj, j));
    }
    if (PyErr_Occurred()) return -1;
    al->m = m;
    al->chars = chars;
    al->pairs = pairs;
    al->emit = emit;
    al->other = other;
    size_t per = 2 * (size_t)(m > 0 ? m : 1);
    al->costs = PyMem_Malloc(ROW_CACHE * per * sizeof(double));
    al->spare_costs = PyMem_Malloc(per * sizeof(double));
    if (al->costs == NULL || al->spare_costs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    al->empty = PyUnicode_New(0, 0);
    return al->empty == NULL ? -1 : 0;
}

/* the costs of source character `code` against the OCR string into *rc (its e1 / e2
   already point at room for them) */
static int row_costs_fill(const Alignment *al, Py_UCS4 code, RowCosts *rc) {
    rc->code = code;
    PyObject *c = PyUnicode_FromOrdinal((int)code);
    if (c == NULL) return -1;
    PyObject *row = PyDict_GetItemWithError(al->emit, c);
    if (row == NULL) {
        Py_DECREF(c);
        if (PyErr_Occurred()) return -1;
        rc->known = 0; /* a source character the table does not know */
        return 0;
    }
    if (!PyDict_Check(row)) {
        Py_DECREF(c);
        PyErr_SetString(PyExc_TypeError, "emit rows must be dicts");
        return -1;
    }
    rc->known = 1;
    double oth = al->unk_other;
    PyObject *o = PyDict_GetItemWithError(al->other, c);
    Py_DECREF(c);
    if (o != NULL) oth = PyFloat_AsDouble(o);
    PyObject *d = PyDict_GetItemWithError(row, al->empty);
    rc->dele = d != NULL ? PyFloat_AsDouble(d) : -INFINITY;
    if (PyErr_Occurred()) return -1;
    for (Py_ssize_t j = 0; j < al->m; j++) {
        PyObject *e = PyDict_GetItemWithError(row, PyTuple_GET_ITEM(al->chars, j));
        rc->e1[j] = e != NULL ? PyFloat_AsDouble(e) : oth;
        rc->e2[j] = -INFINITY;
        if (j + 1 < al->m) {
            PyObject *e2 = PyDict_GetItemWithError(row, PyTuple_GET_ITEM(al->pairs, j));
            if (e2 != NULL) rc->e2[j] = PyFloat_AsDouble(e2);
        }
        if (PyErr_Occurred()) return -1;
    }
    return 0;
}

/* the costs of source character `code` (kept for the next syllables of this string) */
static RowCosts *row_costs(Alignment *al, Py_UCS4 code) {
    for (int r = 0; r < al->nrows; r++)
        if (al->rows[r].code == code) return &al->rows[r];
    size_t per = 2 * (size_t)(al->m > 0 ? al->m : 1);
    RowCosts *rc;
    if (al->nrows < ROW_CACHE) {
        rc = &al->rows[al->nrows];
        rc->e1 = al->costs + (size_t)al->nrows * per;
    } else {
        rc = &al->spare;
        rc->e1 = al->spare_costs;
    }
    rc->e2 = rc->e1 + per / 2;
    if (row_costs_fill(al, code, rc) < 0) return NULL;
    if (rc != &al->spare) al->nrows++;
    return rc;
}

/* log P(ocr | syl) into *out */
static int alignment_score(Alignment *al, PyObject *syl, double *out) {
    if (!PyUnicode_Check(syl)) {
        PyErr_SetString(PyExc_TypeError, "a syllable must be a str");
        return -1;
    }
    Py_ssize_t m = al->m;
    double rows[2][MAX_OCR + 1];
    double *prev = rows[0], *cur = rows[1];
    const double *ins = al->ins;
    /* the empty prefix: only insertions */
    prev[0] = 0.0;
    for (Py_ssize_t j = 1; j <= m; j++) prev[j] = prev[j - 1] + ins[j - 1];
    Py_ssize_t n = PyUnicode_GET_LENGTH(syl);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 code = PyUnicode_READ_CHAR(syl, i);
        const RowCosts *rc = row_costs(al, code);
        if (rc == NULL) return -1;
        if (!rc->known) { /* a source character the table does not know */
            cur[0] = prev[0] + al->unk_other;
            for (Py_ssize_t j = 1; j <= m; j++) {
                double best = prev[j] + al->unk_other;
                double v =
                    prev[j - 1] + (al->codes[j - 1] == code ? al->unk_self : al->unk_other);
                if (v > best) best = v;
                v = cur[j - 1] + ins[j - 1];
                if (v > best) best = v;
                if (j >= 2) {
                    v = prev[j - 2] + al->unk_two;
                    if (v > best) best = v;
                }
                cur[j] = best;
            }
        } else {
            /* a pair the row lacks costs -inf: it can never be better (as when skipped) */
            double dele = rc->dele;
            const double *e1 = rc->e1, *e2 = rc->e2;
            cur[0] = prev[0] + dele;
            for (Py_ssize_t j = 1; j <= m; j++) {
                double best = prev[j] + dele;
                double v = prev[j - 1] + e1[j - 1];
                if (v > best) best = v;
                if (j >= 2) {
                    v = prev[j - 2] + e2[j - 2];
                    if (v > best) best = v;
                }
                v = cur[j - 1] + ins[j - 1];
                if (v > best) best = v;
                cur[j] = best;
            }
        }
        double *t = prev;
        prev = cur;
        cur = t;
    }
    *out = prev[m] + (double)(n + 1) * al->no_insert;
    return 0;
}

PyDoc_STRVAR(dp_score_doc,
"dp_score(chars, pairs, ins, emit, other, unknown, no_insert, syllable) -> float\n\
\n\
log P(ocr | syllable): the best alignment of the syllable's characters to the OCR string\n\
whose characters are `chars` (1-character strings), `pairs` its 2-character substrings,\n\
`ins` the insertion cost of each character. Each syllable character c emits 0, 1 or 2 OCR\n\
characters (emit[c][o], other[c] for an unlisted single character; `unknown` = (self,\n\
other, two-character) costs of a character without a row); an OCR character may be\n\
inserted after any syllable character; no_insert is added per gap.");

static PyObject *dp_score(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "dp_score() takes 8 arguments");
        return NULL;
    }
    Alignment al;
    double v;
    int bad = alignment_init(&al, args) < 0 || alignment_score(&al, args[7], &v) < 0;
    alignment_free(&al);
    return bad ? NULL : PyFloat_FromDouble(v);
}

/* min-heap of doubles (the k best ranks so far; the smallest on top) */
static void dheap_push(double *h, Py_ssize_t *len, double v) {
    Py_ssize_t i = (*len)++;
    while (i > 0) {
        Py_ssize_t parent = (i - 1) / 2;
        if (!(v < h[parent])) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = v;
}

static void dheap_replace_top(double *h, Py_ssize_t len, double v) {
    Py_ssize_t i = 0;
    for (;;) {
        Py_ssize_t c = 2 * i + 1;
        if (c >= len) break;
        if (c + 1 < len && h[c + 1] < h[c]) c++;
        if (!(h[c] < v)) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = v;
}

PyDoc_STRVAR(rank_doc,
"rank(chars, pairs, ins, emit, other, unknown, no_insert, skeletons, index, k, weight, own)\n\
    -> ([(syllable, score)], own_score)\n\
\n\
Score the syllables of the skeletons found for one OCR string (skeletons: (skeleton,\n\
bound) pairs, best first; index: skeleton -> [(syllable, log prior)], by falling prior):\n\
score = dp_score, rank = score + weight * prior. A skeleton's bound (its best path's cost)\n\
bounds its syllables' scores: once k syllables rank above it, the remaining skeletons\n\
cannot enter the top k, and within a skeleton neither can the rest of its syllables.\n\
Returns the k best syllables scored, by falling rank and then by syllable (each once), and\n\
the score of the syllable `own` when it was scored (None otherwise, or when own is None).");

typedef struct {
    PyObject *syl; /* borrowed from the index */
    double score, r;
} Ranked;

/* falling rank, then rising syllable: the order of sorting (-rank, syllable) tuples */
static int ranked_cmp(const void *x, const void *y) {
    const Ranked *a = x, *b = y;
    if (a->r != b->r) return a->r > b->r ? -1 : 1;
    return PyUnicode_Compare(a->syl, b->syl); /* str and str: cannot fail */
}

static PyObject *rank(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 12) {
        PyErr_SetString(PyExc_TypeError, "rank() takes 12 arguments");
        return NULL;
    }
    PyObject *skels = args[7], *index = args[8], *own = args[11];
    Py_ssize_t k = PyLong_AsSsize_t(args[9]);
    double weight = PyFloat_AsDouble(args[10]);
    if (PyErr_Occurred()) return NULL;
    if (!PyList_Check(skels) || !PyDict_Check(index) || k <= 0 ||
        (own != Py_None && !PyUnicode_Check(own))) {
        PyErr_SetString(PyExc_TypeError,
                        "rank(): skeletons a list, index a dict, k > 0, own a str or None");
        return NULL;
    }
    Alignment al;
    PyObject *out = NULL, *seen = NULL, *top = NULL, *own_score = NULL;
    double *heap = PyMem_Malloc((size_t)k * sizeof(double));
    Py_ssize_t len = 0, n_found = 0, cap = 32;
    Ranked *found = PyMem_Malloc((size_t)cap * sizeof(Ranked));
    if (heap == NULL || found == NULL) {
        PyMem_Free(heap);
        PyMem_Free(found);
        return PyErr_NoMemory();
    }
    if (alignment_init(&al, args) < 0) goto done;
    seen = PySet_New(NULL);
    if (seen == NULL) goto done;
    for (Py_ssize_t s = 0; s < PyList_GET_SIZE(skels); s++) {
        PyObject *pair = PyList_GET_ITEM(skels, s);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "a skeleton must be a (skeleton, bound) pair");
            goto done;
        }
        double bound = PyFloat_AsDouble(PyTuple_GET_ITEM(pair, 1));
        if (bound == -1.0 && PyErr_Occurred()) goto done;
        if (len >= k && bound < heap[0]) break;
        PyObject *syls = PyDict_GetItemWithError(index, PyTuple_GET_ITEM(pair, 0));
        if (syls == NULL) {
            if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, PyTuple_GET_ITEM(pair, 0));
            goto done;
        }
        if (!PyList_Check(syls)) {
            PyErr_SetString(PyExc_TypeError, "index values must be lists");
            goto done;
        }
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(syls); i++) {
            PyObject *entry = PyList_GET_ITEM(syls, i);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 2 ||
                !PyUnicode_Check(PyTuple_GET_ITEM(entry, 0))) {
                PyErr_SetString(PyExc_TypeError, "an index entry must be (syllable, prior)");
                goto done;
            }
            PyObject *syl = PyTuple_GET_ITEM(entry, 0);
            double prior = PyFloat_AsDouble(PyTuple_GET_ITEM(entry, 1));
            if (prior == -1.0 && PyErr_Occurred()) goto done;
            if (len >= k && bound + weight * prior < heap[0]) break;
            int known = PySet_Contains(seen, syl);
            if (known < 0) goto done;
            if (known) continue;
            double score;
            if (alignment_score(&al, syl, &score) < 0 || PySet_Add(seen, syl) < 0) goto done;
            double r = score + weight * prior;
            if (n_found == cap) {
                Ranked *more = PyMem_Realloc(found, (size_t)(cap *= 2) * sizeof(Ranked));
                if (more == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                found = more;
            }
            found[n_found++] = (Ranked){syl, score, r};
            if (own != Py_None && own_score == NULL && PyUnicode_Compare(syl, own) == 0) {
                own_score = PyFloat_FromDouble(score);
                if (own_score == NULL) goto done;
            }
            if (len < k)
                dheap_push(heap, &len, r);
            else if (r > heap[0])
                dheap_replace_top(heap, len, r);
        }
    }
    qsort(found, (size_t)n_found, sizeof(Ranked), ranked_cmp);
    if (n_found > k) n_found = k;
    top = PyList_New(n_found);
    if (top == NULL) goto done;
    for (Py_ssize_t i = 0; i < n_found; i++) {
        PyObject *item = Py_BuildValue("(Od)", found[i].syl, found[i].score);
        if (item == NULL) goto done;
        PyList_SET_ITEM(top, i, item);
    }
    out = PyTuple_Pack(2, top, own_score != NULL ? own_score : Py_None);
done:
    Py_XDECREF(top);
    Py_XDECREF(own_score);
    Py_XDECREF(seen);
    alignment_free(&al);
    PyMem_Free(heap);
    PyMem_Free(found);
    return out;
}

/* ------------------------------------------------------------------ the alignment itself */

/* log P(o | c), as `Channel._emit_cost`: row = emit[c] (NULL: c has no row; code: c) */
static int emit_cost(PyObject *row, Py_UCS4 code, PyObject *c, PyObject *o, PyObject *other,
                     const double unknown[3], double *out) {
    Py_ssize_t len = PyUnicode_GET_LENGTH(o);
    if (row == NULL) {
        if (len == 0)
            *out = unknown[1];
        else if (len == 1)
            *out = PyUnicode_READ_CHAR(o, 0) == code ? unknown[0] : unknown[1];
        else
            *out = unknown[2];
        return 0;
    }
    PyObject *lp = PyDict_GetItemWithError(row, o);
    if (lp == NULL && PyErr_Occurred()) return -1;
    if (lp == NULL && len == 1) {
        lp = PyDict_GetItemWithError(other, c);
        if (lp == NULL && PyErr_Occurred()) return -1;
        if (lp == NULL) {
            *out = unknown[1];
            return 0;
        }
    }
    if (lp == NULL) {
        *out = -INFINITY;
        return 0;
    }
    *out = PyFloat_AsDouble(lp);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

PyDoc_STRVAR(align_doc,
"align(ocr, syllable, emit, other, insert, insert_other, unknown) -> [(str, str)]\n\
\n\
The best alignment behind dp_score, as `Channel.align` returns it: [(source characters,\n\
OCR string)] from the start, ("", o) an insertion, (c, \"\") a deletion. insert: {OCR\n\
character: insertion cost}, insert_other for the others; ties go to an insertion, then\n\
to emitting 0, 1, 2 characters.");

static PyObject *align(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "align() takes 7 arguments");
        return NULL;
    }
    PyObject *ocr = args[0], *syl = args[1], *emit = args[2], *other = args[3];
    PyObject *insert = args[4];
    double insert_other = PyFloat_AsDouble(args[5]), unknown[3];
    if (insert_other == -1.0 && PyErr_Occurred()) return NULL;
    if (!PyArg_ParseTuple(args[6], "ddd;unknown: 3 costs", &unknown[0], &unknown[1],
                          &unknown[2]))
        return NULL;
    if (!PyUnicode_Check(ocr) || !PyUnicode_Check(syl) || !PyDict_Check(emit) ||
        !PyDict_Check(other) || !PyDict_Check(insert)) {
        PyErr_SetString(PyExc_TypeError, "align(str, str, dict, dict, dict, float, tuple)");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(syl), m = PyUnicode_GET_LENGTH(ocr);
    if (n >= MAX_OCR || m >= MAX_OCR) {
        PyErr_SetString(PyExc_ValueError, "align(): strings too long");
        return NULL;
    }
    Py_ssize_t w = m + 1;
    double *score = PyMem_Malloc((size_t)(n + 1) * (size_t)w * sizeof(double));
    int *back = PyMem_Malloc((size_t)(n + 1) * (size_t)w * sizeof(int)); /* -1: none */
    /* the OCR string's pieces a character may emit: subs[j * 3 + step] = ocr[j - step:j] */
    PyObject **subs = PyMem_Calloc((size_t)w * 3, sizeof(PyObject *));
    double *ins = PyMem_Malloc((size_t)w * sizeof(double));
    PyObject *result = NULL;
    if (!score || !back || !subs || !ins) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t j = 0; j <= m; j++) {
        for (int step = 0; step <= 2 && step <= j; step++) {
            subs[j * 3 + step] = PyUnicode_Substring(ocr, j - step, j);
            if (subs[j * 3 + step] == NULL) goto done;
        }
        if (j >= 1) {
            PyObject *v = PyDict_GetItemWithError(insert, subs[j * 3 + 1]);
            if (v == NULL && PyErr_Occurred()) goto done;
            ins[j] = v != NULL ? PyFloat_AsDouble(v) : insert_other;
            if (PyErr_Occurred()) goto done;
        }
    }
    score[0] = 0.0;
    back[0] = -1;
    for (Py_ssize_t i = 0; i <= n; i++) {
        PyObject *c = NULL, *row = NULL;
        Py_UCS4 code = 0;
        if (i >= 1) {
            code = PyUnicode_READ_CHAR(syl, i - 1);
            c = PyUnicode_Substring(syl, i - 1, i);
            if (c == NULL) goto done;
            row = PyDict_GetItemWithError(emit, c);
            if (row == NULL && PyErr_Occurred()) {
                Py_DECREF(c);
                goto done;
            }
        }
        for (Py_ssize_t j = 0; j <= m; j++) {
            if (i == 0 && j == 0) continue;
            double best = -INFINITY, v;
            int arg = -1;
            if (j >= 1) {
                v = score[i * w + j - 1] + ins[j];
                if (v > best) {
                    best = v;
                    arg = (int)(i * w + j - 1);
                }
            }
            if (i >= 1) {
                for (int step = 0; step <= 2; step++) {
                    if (j < step) continue;
                    double e;
                    if (emit_cost(row, code, c, subs[j * 3 + step], other, unknown, &e) < 0) {
                        Py_DECREF(c);
                        goto done;
                    }
                    v = score[(i - 1) * w + j - step] + e;
                    if (v > best) {
                        best = v;
                        arg = (int)((i - 1) * w + j - step);
                    }
                }
            }
            score[i * w + j] = best;
            back[i * w + j] = arg;
        }
        Py_XDECREF(c);
    }
    /* back from (n, m), then reversed */
    result = PyList_New(0);
    if (result == NULL) goto done;
    for (Py_ssize_t at = n * w + m; at != 0;) {
        int from = back[at];
        if (from < 0) break;
        Py_ssize_t i = at / w, j = at % w, pi = from / w, pj = from % w;
        PyObject *src = PyUnicode_Substring(syl, pi, i);
        PyObject *op = src == NULL ? NULL : Py_BuildValue("(NO)", src, subs[j * 3 + (j - pj)]);
        if (op == NULL || PyList_Append(result, op) < 0) {
            Py_XDECREF(op);
            Py_CLEAR(result);
            goto done;
        }
        Py_DECREF(op);
        at = from;
    }
    if (PyList_Reverse(result) < 0) Py_CLEAR(result);

done:
    if (subs != NULL)
        for (Py_ssize_t k = 0; k < w * 3; k++) Py_XDECREF(subs[k]);
    PyMem_Free(subs);
    PyMem_Free(score);
    PyMem_Free(back);
    PyMem_Free(ins);
    return result;
}

static PyMethodDef methods[] = {
    {"search", (PyCFunction)(void (*)(void))search, METH_FASTCALL, search_doc},
    {"dp_score", (PyCFunction)(void (*)(void))dp_score, METH_FASTCALL, dp_score_doc},
    {"rank", (PyCFunction)(void (*)(void))rank, METH_FASTCALL, rank_doc},
    {"align", (PyCFunction)(void (*)(void))align, METH_FASTCALL, align_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_channel_search",
    "Compiled inner loops of ocr_pipeline.restore.channel (see the C source's header).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__channel_search(void) { return PyModule_Create(&module); }
