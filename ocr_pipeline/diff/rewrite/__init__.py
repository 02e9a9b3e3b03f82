"""Rewriters of our word outputs for `ocr-pipeline apply`: one `WordLines` per format.

Each reads one file (NAME.words.tsv, NAME.alto.xml, NAME.hocr), numbers its lines as the
diff's reader of that format does (lines holding a word, reading order), changes only
the words `diff.word_edits.apply_line_edits` names and writes everything else as it was.
A word the reviewer changed gets confidence 1 (the words table's restore_conf, ALTO's
WC, hOCR's data-restore-conf: one confidence per word in every output) and keeps what
Tesseract read beside it; new words share the box of the words they replace.
"""
