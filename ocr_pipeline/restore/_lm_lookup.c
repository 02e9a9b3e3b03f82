/* Compiled trigram lookups of the syllable language model (ocr_pipeline/restore/lm.py).

   trigram_logprobs(): log10 P(c | a b) with backoff for many (a, b, c) at once, by binary
   search in the model's sorted, memory-mapped key tables. The only implementation of
   `NgramLM.trigram_logprobs`: one C loop instead of a dozen numpy calls per batch, whose
   fixed cost dominated the decoder's small batches. Values are summed in doubles in the
   order `NgramLM.logprob` sums them, so they are bit for bit the same. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef struct {
    Py_buffer view;
    Py_ssize_t n; /* items */
} Table;

static int table_get(PyObject *obj, Table *t, Py_ssize_t itemsize, const char *what) {
    if (PyObject_GetBuffer(obj, &t->view, PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (t->view.len % itemsize) {
        PyBuffer_Release(&t->view);
        PyErr_Format(PyExc_ValueError, "%s: not an array of %zd-byte items", what, itemsize);
        return -1;
    }
    t->n = t->view.len / itemsize;
    return 0;
}

/* index of `key` in keys[lo:hi] (sorted), or -1 */
static inline Py_ssize_t find(const uint64_t *keys, Py_ssize_t lo, Py_ssize_t hi,
                              uint64_t key) {
    Py_ssize_t n = hi;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < n && keys[lo] == key) ? lo : -1;
}

PyDoc_STRVAR(trigram_logprobs_doc,
"trigram_logprobs(keys3, logp3, starts3, keys2, logp2, bow2, starts2, bow1, logp1, bits,\n\
                 a, b, c) -> [float]\n\
\n\
[log10 P(c[i] | a[i] b[i]) ...] with backoff: the stored trigram, else the bigram (b, c)\n\
plus the backoff weight of (a, b), else the backoff weights of (a, b) and of b plus the\n\
unigram of c. keys: sorted uint64 n-gram keys (ids packed `bits` bits each, oldest\n\
highest); logp, bow: float32 values by key position (bow1 and logp1 by word id);\n\
starts: int64, where the keys of each first word begin (one more than the words): each\n\
search is narrowed to the keys of its first word.");

static PyObject *trigram_logprobs(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 13) {
        PyErr_SetString(PyExc_TypeError, "trigram_logprobs() takes 13 arguments");
        return NULL;
    }
    /* t[0..8]: keys3 logp3 starts3 keys2 logp2 bow2 starts2 bow1 logp1 */
    static const char *names[9] = {"keys3", "logp3", "starts3", "keys2", "logp2",
                                   "bow2",  "starts2", "bow1", "logp1"};
    static const Py_ssize_t sizes[9] = {8, 4, 8, 8, 4, 4, 8, 4, 4};
    Table t[9];
    int got = 0;
    PyObject *result = NULL, *fa = NULL, *fb = NULL, *fc = NULL;
    for (; got < 9; got++)
        if (table_get(args[got], &t[got], sizes[got], names[got]) < 0) goto done;
    long bits = PyLong_AsLong(args[9]);
    if (PyErr_Occurred()) goto done;
    if (bits <= 0 || bits > 21) {
        PyErr_SetString(PyExc_ValueError, "bits must be between 1 and 21");
        goto done;
    }
    Py_ssize_t words = t[8].n;
    if (t[1].n != t[0].n || t[4].n != t[3].n || t[5].n != t[3].n || t[7].n != words ||
        t[2].n != words + 1 || t[6].n != words + 1) {
        PyErr_SetString(PyExc_ValueError, "keys, values and starts of different lengths");
        goto done;
    }
    fa = PySequence_Fast(args[10], "a must be a sequence");
    fb = fa ? PySequence_Fast(args[11], "b must be a sequence") : NULL;
    fc = fb ? PySequence_Fast(args[12], "c must be a sequence") : NULL;
    if (fc == NULL) goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fa);
    if (PySequence_Fast_GET_SIZE(fb) != n || PySequence_Fast_GET_SIZE(fc) != n) {
        PyErr_SetString(PyExc_ValueError, "a, b and c must have the same length");
        goto done;
    }
    const uint64_t *keys3 = t[0].view.buf, *keys2 = t[3].view.buf;
    const int64_t *starts3 = t[2].view.buf, *starts2 = t[6].view.buf;
    const float *logp3 = t[1].view.buf, *logp2 = t[4].view.buf, *bow2 = t[5].view.buf;
    const float *bow1 = t[7].view.buf, *logp1 = t[8].view.buf;
    for (Py_ssize_t w = 0; w <= words; w++) {
        if (starts3[w] < 0 || starts3[w] > t[0].n || starts2[w] < 0 || starts2[w] > t[3].n ||
            (w > 0 && (starts3[w] < starts3[w - 1] || starts2[w] < starts2[w - 1]))) {
            PyErr_SetString(PyExc_ValueError, "starts must rise within the keys");
            goto done;
        }
    }
    uint64_t limit = (uint64_t)1 << bits;
    result = PyList_New(n);
    if (result == NULL) goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long long a = PyLong_AsUnsignedLongLong(PySequence_Fast_GET_ITEM(fa, i));
        unsigned long long b = PyLong_AsUnsignedLongLong(PySequence_Fast_GET_ITEM(fb, i));
        unsigned long long c = PyLong_AsUnsignedLongLong(PySequence_Fast_GET_ITEM(fc, i));
        if (PyErr_Occurred()) {
            Py_CLEAR(result);
            goto done;
        }
        if (a >= limit || b >= limit || c >= limit || (Py_ssize_t)a >= words ||
            (Py_ssize_t)b >= words || (Py_ssize_t)c >= words) {
            PyErr_SetString(PyExc_IndexError, "word id out of the model's range");
            Py_CLEAR(result);
            goto done;
        }
        uint64_t ab = ((uint64_t)a << bits) | b, bc = ((uint64_t)b << bits) | c;
        double v;
        Py_ssize_t j3 = find(keys3, starts3[a], starts3[a + 1], (ab << bits) | c);
        if (j3 >= 0) {
            v = (double)logp3[j3];
        } else {
            Py_ssize_t jab = find(keys2, starts2[a], starts2[a + 1], ab);
            double bow_ab = jab >= 0 ? (double)bow2[jab] : 0.0;
            Py_ssize_t j2 = find(keys2, starts2[b], starts2[b + 1], bc);
            if (j2 >= 0)
                v = (double)logp2[j2] + bow_ab;
            else
                v = (bow_ab + (double)bow1[b]) + (double)logp1[c];
        }
        PyObject *f = PyFloat_FromDouble(v);
        if (f == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, f);
    }

done:
    Py_XDECREF(fa);
    Py_XDECREF(fb);
    Py_XDECREF(fc);
    for (int k = 0; k < got; k++) PyBuffer_Release(&t[k].view);
    return result;
}

static PyMethodDef methods[] = {
    {"trigram_logprobs", (PyCFunction)(void (*)(void))trigram_logprobs, METH_FASTCALL,
     trigram_logprobs_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_lm_lookup",
    "Compiled trigram lookups of ocr_pipeline.restore.lm (see the C source's header).", -1,
    methods,
};

PyMODINIT_FUNC PyInit__lm_lookup(void) { return PyModule_Create(&module); }
