/* Compiled lattice loops of the restoration decoder (ocr_pipeline/restore/decoder.py),
   the only implementation of each:

   - viterbi(): the forward pass and back-trace of `Decoder.decode_segment`;
   - local_scores(): `Decoder._local_scores`, every LM term and pair bonus that touches one
     position of the best path, for each of its candidates;
   - prefill(): the (context, word) pairs those will ask about, gathered in one pass
     (`Decoder._prefill_local`) so the LM scores them in one call.

   They read the decoder's own caches (the LM score cache: a dict
   {(a, b): context} whose `.vals` dict maps a word id to its weighted score) and call
   back into the decoder to create a context and to score the pairs it lacks, so the
   scores are exactly those of the Python decoder; the sums keep the operand order of the
   former Python loop, so the chosen path is bit for bit the same. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* the bonus of `form` after a predecessor: the larger of its term and place-name pair
   bonuses, as the local pass takes it (local_terms), 0.0 if neither has it; *has: either
   table is not empty (the bonus, 0.0 included, is added only then) */
static int bonus_of(PyObject *term, PyObject *place, PyObject *form, int *has, double *out) {
    *has = 0;
    *out = 0.0;
    int term_any = term != NULL && PyDict_Check(term) && PyDict_GET_SIZE(term) > 0;
    int place_any = place != NULL && PyDict_Check(place) && PyDict_GET_SIZE(place) > 0;
    if (!term_any && !place_any) return 0;
    *has = 1;
    int found = 0;
    for (int k = 0; k < 2; k++) {
        PyObject *table = k == 0 ? (term_any ? term : NULL) : (place_any ? place : NULL);
        if (table == NULL) continue;
        PyObject *v = PyDict_GetItemWithError(table, form);
        if (v == NULL) {
            if (PyErr_Occurred()) return -1;
            continue;
        }
        double b = PyFloat_AsDouble(v);
        if (b == -1.0 && PyErr_Occurred()) return -1;
        if (!found || b > *out) *out = b;
        found = 1;
    }
    return 0;
}

typedef struct {
    Py_ssize_t k;    /* predecessor index */
    double d;        /* its score */
    PyObject *vals;  /* its context's scores (new reference) */
    PyObject *ctx;   /* its context (new reference) */
    PyObject *term;  /* term successors of its form (borrowed, may be NULL) */
    PyObject *place; /* place successors, when both words are capitalised (borrowed) */
} Active;

PyDoc_STRVAR(viterbi_doc,
"viterbi(ids, forms, chans, caps, delta0, hist0, lm_cache, context, fill, term_next,\n\
        place_next, beam) -> [candidate index per position]\n\
\n\
The best path through a segment's lattice: ids, forms, chans: per position, the\n\
candidates' LM ids, forms and channel scores (tuples); caps: per position, the word is\n\
capitalised; delta0: scores of the first position's candidates; hist0: their LM\n\
histories. Predecessors more than `beam` below the best are not extended. lm_cache:\n\
{(a, b): context with a `vals` dict}; context(a, b) creates a missing one; fill([(context,\n\
word id), ...]) scores the pairs a position lacks; term_next / place_next: {form:\n\
{next form: bonus}} (place bonuses between two capitalised words).");

static PyObject *viterbi(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 12) {
        PyErr_SetString(PyExc_TypeError, "viterbi() takes 12 arguments");
        return NULL;
    }
    PyObject *ids = args[0], *forms = args[1], *chans = args[2], *caps = args[3];
    PyObject *delta0 = args[4], *hist0 = args[5], *lm_cache = args[6];
    PyObject *context = args[7], *fill = args[8], *term_next = args[9], *place_next = args[10];
    double beam = PyFloat_AsDouble(args[11]);
    if (beam == -1.0 && PyErr_Occurred()) return NULL;
    if (!PyList_Check(ids) || !PyList_Check(forms) || !PyList_Check(chans) ||
        !PyList_Check(caps) || !PyList_Check(delta0) || !PyList_Check(hist0) ||
        !PyDict_Check(lm_cache) || !PyDict_Check(term_next) || !PyDict_Check(place_next)) {
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
    if (PyList_GET_SIZE(delta0) != off[1] || PyList_GET_SIZE(hist0) != off[1]) {
        PyMem_Free(off);
        PyErr_SetString(PyExc_ValueError, "viterbi(): delta0 and hist0 must fit position 0");
        return NULL;
    }
    Py_ssize_t total = off[n];
    double *delta = PyMem_Malloc((size_t)total * sizeof(double));
    Py_ssize_t *back = PyMem_Malloc((size_t)total * sizeof(Py_ssize_t));
    PyObject **hist = PyMem_Malloc((size_t)total * sizeof(PyObject *)); /* borrowed */
    Active *active = PyMem_Malloc((size_t)widest * sizeof(Active));
    Py_ssize_t n_active = 0;
    PyObject *result = NULL;
    if (!delta || !back || !hist || !active) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t j = 0; j < off[1]; j++) {
        delta[j] = PyFloat_AsDouble(PyList_GET_ITEM(delta0, j));
        back[j] = -1;
        hist[j] = PyList_GET_ITEM(hist0, j);
    }
    if (PyErr_Occurred()) goto done;

    for (Py_ssize_t i = 1; i < n; i++) {
        PyObject *pids = PyList_GET_ITEM(ids, i - 1), *pforms = PyList_GET_ITEM(forms, i - 1);
        PyObject *cids = PyList_GET_ITEM(ids, i), *cforms = PyList_GET_ITEM(forms, i);
        PyObject *cchans = PyList_GET_ITEM(chans, i);
        int both_caps = PyObject_IsTrue(PyList_GET_ITEM(caps, i - 1)) &&
                        PyObject_IsTrue(PyList_GET_ITEM(caps, i));
        double *pd = delta + off[i - 1];
        PyObject **ph = hist + off[i - 1];
        Py_ssize_t np = off[i] - off[i - 1], m = off[i + 1] - off[i];
        double top = pd[0];
        for (Py_ssize_t k = 1; k < np; k++)
            if (pd[k] > top) top = pd[k];
        double floor = top - beam;
        /* the predecessors within the beam, their contexts and bonus tables */
        n_active = 0;
        for (Py_ssize_t k = 0; k < np; k++) {
            if (!(pd[k] >= floor)) continue;
            Active *a = &active[n_active];
            PyObject *pform = PyTuple_GET_ITEM(pforms, k);
            a->k = k;
            a->d = pd[k];
            a->term = PyDict_GetItemWithError(term_next, pform);
            a->place = NULL;
            if (a->term == NULL && PyErr_Occurred()) goto done;
            if (both_caps) {
                a->place = PyDict_GetItemWithError(place_next, pform);
                if (a->place == NULL && PyErr_Occurred()) goto done;
            }
            PyObject *key = PyTuple_Pack(2, ph[k], PyTuple_GET_ITEM(pids, k));
            if (key == NULL) goto done;
            PyObject *ctx = PyDict_GetItemWithError(lm_cache, key);
            Py_DECREF(key);
            if (ctx != NULL) {
                Py_INCREF(ctx);
            } else {
                if (PyErr_Occurred()) goto done;
                PyObject *pair[2] = {ph[k], PyTuple_GET_ITEM(pids, k)};
                ctx = PyObject_Vectorcall(context, pair, 2, NULL);
                if (ctx == NULL) goto done;
            }
            a->ctx = ctx;
            a->vals = PyObject_GetAttrString(ctx, "vals");
            n_active++;
            if (a->vals == NULL) goto done;
            if (!PyDict_Check(a->vals)) {
                PyErr_SetString(PyExc_TypeError, "a context's vals must be a dict");
                goto done;
            }
        }
        /* every LM score this position needs, in one call */
        PyObject *misses = NULL;
        for (Py_ssize_t t = 0; t < n_active; t++) {
            for (Py_ssize_t j = 0; j < m; j++) {
                PyObject *cid = PyTuple_GET_ITEM(cids, j);
                int has = PyDict_Contains(active[t].vals, cid);
                if (has < 0) goto miss_fail;
                if (has) continue;
                if (misses == NULL && (misses = PyList_New(0)) == NULL) goto done;
                PyObject *pair = PyTuple_Pack(2, active[t].ctx, cid);
                if (pair == NULL || PyList_Append(misses, pair) < 0) {
                    Py_XDECREF(pair);
                    goto miss_fail;
                }
                Py_DECREF(pair);
            }
        }
        if (misses != NULL) {
            PyObject *r = PyObject_CallOneArg(fill, misses);
            Py_DECREF(misses);
            if (r == NULL) goto done;
            Py_DECREF(r);
        }
        goto scored;
    miss_fail:
        Py_XDECREF(misses);
        goto done;
    scored:;
        double *row_d = delta + off[i];
        Py_ssize_t *row_b = back + off[i];
        PyObject **row_h = hist + off[i];
        for (Py_ssize_t j = 0; j < m; j++) {
            PyObject *cid = PyTuple_GET_ITEM(cids, j), *form = PyTuple_GET_ITEM(cforms, j);
            double chan = PyFloat_AsDouble(PyTuple_GET_ITEM(cchans, j));
            if (chan == -1.0 && PyErr_Occurred()) goto done;
            double best = -INFINITY;
            Py_ssize_t arg = 0;
            for (Py_ssize_t t = 0; t < n_active; t++) {
                PyObject *vo = PyDict_GetItemWithError(active[t].vals, cid);
                if (vo == NULL) {
                    if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, cid);
                    goto done;
                }
                double v = PyFloat_AsDouble(vo), bonus;
                int has;
                if (bonus_of(active[t].term, active[t].place, form, &has, &bonus) < 0) goto done;
                if (n_active == 1) { /* one predecessor: the former loop summed in this order */
                    if (has) v += bonus;
                    best = v + active[t].d + chan;
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
            if (PyErr_Occurred()) goto done;
            row_d[j] = n_active == 1 ? best : best + chan;
            row_b[j] = arg;
            row_h[j] = PyTuple_GET_ITEM(pids, arg);
        }
        for (Py_ssize_t t = 0; t < n_active; t++) {
            Py_CLEAR(active[t].vals);
            Py_CLEAR(active[t].ctx);
        }
        n_active = 0;
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
    for (Py_ssize_t t = 0; t < n_active; t++) {
        Py_XDECREF(active[t].vals);
        Py_XDECREF(active[t].ctx);
    }
    PyMem_Free(off);
    PyMem_Free(delta);
    PyMem_Free(back);
    PyMem_Free(hist);
    PyMem_Free(active);
    return result;
}

/* ------------------------------------------------------------ the local scores */

/* the context (a, b) of the decoder's LM cache: cache[(a, b)], else context(a, b) (new ref) */
static PyObject *context_of(PyObject *cache, PyObject *context, PyObject *a, PyObject *b) {
    PyObject *key = PyTuple_Pack(2, a, b);
    if (key == NULL) return NULL;
    PyObject *ctx = PyDict_GetItemWithError(cache, key);
    Py_DECREF(key);
    if (ctx != NULL) {
        Py_INCREF(ctx);
        return ctx;
    }
    if (PyErr_Occurred()) return NULL;
    PyObject *pair[2] = {a, b};
    return PyObject_Vectorcall(context, pair, 2, NULL);
}

/* attribute names, interned once (module init) */
static PyObject *str_vals, *str_form, *str_chan, *str_lm_id;

/* the `vals` dict of a context (new reference) */
static PyObject *vals_of(PyObject *ctx) {
    PyObject *vals = PyObject_GetAttr(ctx, str_vals);
    if (vals != NULL && !PyDict_Check(vals)) {
        Py_DECREF(vals);
        PyErr_SetString(PyExc_TypeError, "a context's vals must be a dict");
        return NULL;
    }
    return vals;
}

/* a candidate's form, channel score and LM id (a `Cand`); *form and *id: new references */
static int cand_fields(PyObject *c, PyObject **form, double *chan, PyObject **id) {
    *form = *id = NULL;
    PyObject *ch = PyObject_GetAttr(c, str_chan);
    if (ch == NULL) return -1;
    *chan = PyFloat_AsDouble(ch);
    Py_DECREF(ch);
    if (*chan == -1.0 && PyErr_Occurred()) return -1;
    if ((*form = PyObject_GetAttr(c, str_form)) == NULL) return -1;
    if ((*id = PyObject_GetAttr(c, str_lm_id)) == NULL) {
        Py_CLEAR(*form);
        return -1;
    }
    return 0;
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

/* the weighted LM score of `word` after a context: its vals[word], else miss(ctx, word) */
static int score_after(PyObject *ctx, PyObject *vals, PyObject *word, PyObject *miss,
                       double *out) {
    PyObject *v = PyDict_GetItemWithError(vals, word);
    if (v != NULL) {
        *out = PyFloat_AsDouble(v);
        return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
    }
    if (PyErr_Occurred()) return -1;
    PyObject *pair[2] = {ctx, word};
    PyObject *r = PyObject_Vectorcall(miss, pair, 2, NULL);
    if (r == NULL) return -1;
    *out = PyFloat_AsDouble(r);
    Py_DECREF(r);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* the local score of one candidate (see local_scores) into *out */
static int local_terms(PyObject *form, double chan, PyObject *cid, PyObject *here,
                       PyObject *here_vals, PyObject *b, PyObject *n1, PyObject *n2,
                       long next1, long next2, PyObject *nform, PyObject *before,
                       PyObject *before_place, int after_caps, PyObject *term_next,
                       PyObject *place_next, PyObject *cache, PyObject *context,
                       PyObject *miss, double *out) {
    double v, bonus, other;
    if (score_after(here, here_vals, cid, miss, &v) < 0) return -1;
    double s = chan + v;
    if (before != Py_None) {
        if (get_or_zero(before, form, &bonus) < 0) return -1;
        if (before_place != Py_None) {
            if (get_or_zero(before_place, form, &other) < 0) return -1;
            if (other > bonus) bonus = other;
        }
        s += bonus;
    }
    if (next1 >= 0) {
        PyObject *x = context_of(cache, context, b, cid), *xv;
        if (x == NULL) return -1;
        if ((xv = vals_of(x)) == NULL) {
            Py_DECREF(x);
            return -1;
        }
        int bad = score_after(x, xv, n1, miss, &v);
        Py_DECREF(xv);
        Py_DECREF(x);
        if (bad < 0) return -1;
        s += v;
        PyObject *row = PyDict_GetItemWithError(term_next, form);
        if (row == NULL && PyErr_Occurred()) return -1;
        if (get_or_zero(row, nform, &bonus) < 0) return -1;
        if (after_caps) {
            row = PyDict_GetItemWithError(place_next, form);
            if (row == NULL && PyErr_Occurred()) return -1;
            if (get_or_zero(row, nform, &other) < 0) return -1;
            if (other > bonus) bonus = other;
        }
        s += bonus;
        if (next2 >= 0) {
            PyObject *y = context_of(cache, context, cid, n1), *yv;
            if (y == NULL) return -1;
            if ((yv = vals_of(y)) == NULL) {
                Py_DECREF(y);
                return -1;
            }
            bad = score_after(y, yv, n2, miss, &v);
            Py_DECREF(yv);
            Py_DECREF(y);
            if (bad < 0) return -1;
            s += v;
        }
    }
    *out = s;
    return 0;
}

PyDoc_STRVAR(local_scores_doc,
"local_scores(col, here, b, n1, n2, nform, before, before_place, after_caps, term_next,\n\
             place_next, lm_cache, context, miss) -> [float]\n\
\n\
The local score of each candidate (a Cand) of `col` at one position of the best path:\n\
channel score + LM score after `here` (the context of the two chosen words before it) +\n\
the pair bonus after the previous word (`before`: its term successors, `before_place`: its\n\
place successors or None) + the LM score of the next chosen word n1 after (b, candidate)\n\
+ the pair bonus with the next word's form `nform` (term, or the larger of term and place\n\
when `after_caps`) + the LM score of the word after it, n2, after (candidate, n1). n1 < 0:\n\
no next word; n2 < 0: none after it. miss(context, word) scores a pair not yet cached.");

static PyObject *local_scores(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 14) {
        PyErr_SetString(PyExc_TypeError, "local_scores() takes 14 arguments");
        return NULL;
    }
    PyObject *col = args[0], *here = args[1], *b = args[2], *n1 = args[3], *n2 = args[4];
    PyObject *nform = args[5], *before = args[6], *before_place = args[7];
    int after_caps = PyObject_IsTrue(args[8]);
    PyObject *term_next = args[9], *place_next = args[10], *cache = args[11];
    PyObject *context = args[12], *miss = args[13];
    if (after_caps < 0) return NULL;
    if (!PyTuple_Check(col) && !PyList_Check(col)) {
        PyErr_SetString(PyExc_TypeError, "col must be a tuple or list of Cand");
        return NULL;
    }
    if (!PyDict_Check(cache) || !PyDict_Check(term_next) || !PyDict_Check(place_next)) {
        PyErr_SetString(PyExc_TypeError, "local_scores(): the tables must be dicts");
        return NULL;
    }
    long next1 = PyLong_AsLong(n1), next2 = PyLong_AsLong(n2);
    if (PyErr_Occurred()) return NULL;
    PyObject *fast = PySequence_Fast(col, "col must be a sequence");
    if (fast == NULL) return NULL;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(fast);
    PyObject *here_vals = vals_of(here), *out = NULL;
    if (here_vals == NULL) goto done;
    out = PyList_New(m);
    if (out == NULL) goto done;
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *form, *cid;
        double chan, s;
        if (cand_fields(PySequence_Fast_GET_ITEM(fast, k), &form, &chan, &cid) < 0) goto fail;
        int bad = local_terms(form, chan, cid, here, here_vals, b, n1, n2, next1, next2, nform,
                              before, before_place, after_caps, term_next, place_next, cache,
                              context, miss, &s);
        Py_DECREF(form);
        Py_DECREF(cid);
        if (bad < 0) goto fail;
        PyObject *f = PyFloat_FromDouble(s);
        if (f == NULL) goto fail;
        PyList_SET_ITEM(out, k, f);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    Py_XDECREF(here_vals);
    Py_DECREF(fast);
    return out;
}

/* append (context, word) to `misses` when the context's vals lack the word */
static int want(PyObject *misses, PyObject *ctx, PyObject *vals, PyObject *word) {
    int has = PyDict_Contains(vals, word);
    if (has < 0) return -1;
    if (has) return 0;
    PyObject *t = PyTuple_Pack(2, ctx, word);
    int bad = t == NULL || PyList_Append(misses, t) < 0;
    Py_XDECREF(t);
    return bad ? -1 : 0;
}

/* the pairs one candidate `cid` needs (see prefill); n1, n2: NULL when there is no word */
static int prefill_one(PyObject *here, PyObject *here_vals, PyObject *b, PyObject *n1,
                       PyObject *n2, PyObject *cid, PyObject *cache, PyObject *context,
                       PyObject *misses) {
    if (want(misses, here, here_vals, cid) < 0) return -1;
    if (n1 == NULL) return 0;
    PyObject *x = context_of(cache, context, b, cid), *xv;
    if (x == NULL || (xv = vals_of(x)) == NULL) {
        Py_XDECREF(x);
        return -1;
    }
    int bad = want(misses, x, xv, n1);
    Py_DECREF(xv);
    Py_DECREF(x);
    if (bad < 0 || n2 == NULL) return bad;
    PyObject *y = context_of(cache, context, cid, n1), *yv;
    if (y == NULL || (yv = vals_of(y)) == NULL) {
        Py_XDECREF(y);
        return -1;
    }
    bad = want(misses, y, yv, n2);
    Py_DECREF(yv);
    Py_DECREF(y);
    return bad;
}

PyDoc_STRVAR(prefill_doc,
"prefill(lattice, ids, todo, bos, lm_cache, context) -> [(context, word id)]\n\
\n\
The (context, word) pairs `local_scores` will ask about along the best path and the\n\
cache lacks: for each position i with todo[i], each candidate of lattice[i] after the two\n\
chosen words before it, the next chosen word after (previous, candidate) and the one\n\
after that after (candidate, next). ids: the chosen words' LM ids.");

static PyObject *prefill(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "prefill() takes 6 arguments");
        return NULL;
    }
    PyObject *lattice = args[0], *ids = args[1], *todo = args[2], *bos = args[3];
    PyObject *cache = args[4], *context = args[5];
    if (!PyList_Check(lattice) || !PyList_Check(ids) || !PyList_Check(todo) ||
        !PyDict_Check(cache)) {
        PyErr_SetString(PyExc_TypeError, "prefill(list, list, list, id, dict, callable)");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(ids);
    if (PyList_GET_SIZE(lattice) != n || PyList_GET_SIZE(todo) != n) {
        PyErr_SetString(PyExc_ValueError, "prefill(): lattice, ids and todo differ in length");
        return NULL;
    }
    PyObject *misses = PyList_New(0);
    if (misses == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        int want = PyObject_IsTrue(PyList_GET_ITEM(todo, i));
        if (want < 0) goto fail;
        if (!want) continue;
        PyObject *a = i < 2 ? bos : PyList_GET_ITEM(ids, i - 2);
        PyObject *b = i < 1 ? bos : PyList_GET_ITEM(ids, i - 1);
        PyObject *n1 = i + 1 < n ? PyList_GET_ITEM(ids, i + 1) : NULL;
        PyObject *n2 = i + 2 < n ? PyList_GET_ITEM(ids, i + 2) : NULL;
        PyObject *pair[2] = {a, b};
        PyObject *here = PyObject_Vectorcall(context, pair, 2, NULL), *here_vals;
        if (here == NULL) goto fail;
        if ((here_vals = vals_of(here)) == NULL) {
            Py_DECREF(here);
            goto fail;
        }
        PyObject *col = PySequence_Fast(PyList_GET_ITEM(lattice, i), "a column must be a sequence");
        int bad = col == NULL;
        Py_ssize_t m = bad ? 0 : PySequence_Fast_GET_SIZE(col);
        for (Py_ssize_t k = 0; k < m && !bad; k++) {
            PyObject *cid = PyObject_GetAttr(PySequence_Fast_GET_ITEM(col, k), str_lm_id);
            if (cid == NULL) {
                bad = 1;
                break;
            }
            bad = prefill_one(here, here_vals, b, n1, n2, cid, cache, context, misses) < 0;
            Py_DECREF(cid);
        }
        Py_XDECREF(col);
        Py_DECREF(here_vals);
        Py_DECREF(here);
        if (bad) goto fail;
    }
    return misses;
fail:
    Py_DECREF(misses);
    return NULL;
}

static PyMethodDef methods[] = {
    {"viterbi", (PyCFunction)(void (*)(void))viterbi, METH_FASTCALL, viterbi_doc},
    {"local_scores", (PyCFunction)(void (*)(void))local_scores, METH_FASTCALL, local_scores_doc},
    {"prefill", (PyCFunction)(void (*)(void))prefill, METH_FASTCALL, prefill_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lattice",
    "Compiled lattice loops of ocr_pipeline.restore.decoder (see the C source's header).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__lattice(void) {
    str_vals = PyUnicode_InternFromString("vals");
    str_form = PyUnicode_InternFromString("form");
    str_chan = PyUnicode_InternFromString("chan");
    str_lm_id = PyUnicode_InternFromString("lm_id");
    if (!str_vals || !str_form || !str_chan || !str_lm_id) return NULL;
    return PyModule_Create(&module);
}
