/* Compiled trigram lookups of the syllable language model (ocr_pipeline/restore/lm.py).

   trigram_logprobs(): log10 P(c | a b) with backoff for many (a, b, c) at once: the only
   implementation of `NgramLM.trigram_logprobs`, one C loop over the lookup of
   `_trigram.h` (which the decoder's score cache in `_lattice.c` uses too) instead of a
   dozen numpy calls per batch. Bit for bit the values of `NgramLM.logprob`. */

#include "_trigram.h"

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
    TrigramTables t;
    if (trigram_acquire(&t, args, args[9]) < 0) return NULL;
    PyObject *result = NULL, *fa = NULL, *fb = NULL, *fc = NULL;
    fa = PySequence_Fast(args[10], "a must be a sequence");
    fb = fa ? PySequence_Fast(args[11], "b must be a sequence") : NULL;
    fc = fb ? PySequence_Fast(args[12], "c must be a sequence") : NULL;
    if (fc == NULL) goto done;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fa);
    if (PySequence_Fast_GET_SIZE(fb) != n || PySequence_Fast_GET_SIZE(fc) != n) {
        PyErr_SetString(PyExc_ValueError, "a, b and c must have the same length");
        goto done;
    }
    result = PyList_New(n);
    if (result == NULL) goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        long long a = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(fa, i));
        long long b = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(fb, i));
        long long c = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(fc, i));
        if (PyErr_Occurred()) {
            Py_CLEAR(result);
            goto done;
        }
        if (!trigram_ids_ok(&t, a, b, c)) {
            PyErr_SetString(PyExc_IndexError, "word id out of the model's range");
            Py_CLEAR(result);
            goto done;
        }
        PyObject *f = PyFloat_FromDouble(trigram_logprob(&t, (uint64_t)a, (uint64_t)b, (uint64_t)c));
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
    trigram_release(&t);
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
