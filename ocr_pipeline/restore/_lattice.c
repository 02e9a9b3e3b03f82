/* Compiled lattice loop of the restoration decoder (ocr_pipeline/restore/decoder.py).

   viterbi(): the forward pass and back-trace of `Decoder.decode_segment`, the only
   implementation of it. It reads the decoder's own caches (the LM score cache: a dict
   {(a, b): context} whose `.vals` dict maps a word id to its weighted score) and calls
   back into the decoder to create a context and to score the pairs it lacks, so the
   scores are exactly those of the Python decoder; the sums keep the operand order of the
   former Python loop, so the chosen path is bit for bit the same. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* the bonus of `form` after a predecessor: merged[form] where merged is the place-name
   successors overridden by the term successors ({**place, **term}); *has: merged is
   not empty (the former loop added the bonus, 0.0 included, only then) */
static int bonus_of(PyObject *term, PyObject *place, PyObject *form, int *has, double *out) {
    *has = 0;
    *out = 0.0;
    int term_any = term != NULL && PyDict_Check(term) && PyDict_GET_SIZE(term) > 0;
    int place_any = place != NULL && PyDict_Check(place) && PyDict_GET_SIZE(place) > 0;
    if (!term_any && !place_any) return 0;
    *has = 1;
    PyObject *v = NULL;
    if (term_any) {
        v = PyDict_GetItemWithError(term, form);
        if (v == NULL && PyErr_Occurred()) return -1;
    }
    if (v == NULL && place_any) {
        v = PyDict_GetItemWithError(place, form);
        if (v == NULL && PyErr_Occurred()) return -1;
    }
    if (v != NULL) {
        *out = PyFloat_AsDouble(v);
        if (*out == -1.0 && PyErr_Occurred()) return -1;
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

static PyMethodDef methods[] = {
    {"viterbi", (PyCFunction)(void (*)(void))viterbi, METH_FASTCALL, viterbi_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lattice",
    "Compiled lattice loop of ocr_pipeline.restore.decoder (see the C source's header).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__lattice(void) { return PyModule_Create(&module); }
