"""The reviewer's low-confidence flag: a restored word whose confidence (the probability
that it is right: `restore.confidence` on text, `page_confidence` on scans) is under
LOW_CONFIDENCE is flagged, in the diff page, its JSON and the summary's ranking. One value
for all of them, here; the diff command's `--low-confidence` changes it for one report.
(The weak-scan signal has its own threshold: `document_restore.UNSURE_BELOW`.)

0.9 since round 20: the confidences are calibrated (on the tuning photocopies, each bin's
accuracy is within a few points of its mean confidence), so the threshold only trades
flags for wrong words caught, and the bad-scan issue asks the flag to catch most of them.
At 0.8 it caught 55% and 65% of the words still wrong on the tuning sets' 200- and 150-dpi
photocopies (2.0% and 3.2% of their words flagged), and 63% and 58% on the unseen
`scans_heldout12` and `13` together; at 0.9, 70% and 76% (3.2% and 4.5% flagged), and 74%
and 70% (3.2% and 4.3%). On the legacy dev set's text, 0.8 caught 69% of the wrong words at
precision 0.37 (4.0% of words flagged), 0.9 catches 84% at 0.31 (6.0%).
"""

from __future__ import annotations

LOW_CONFIDENCE = 0.9

__all__ = ["LOW_CONFIDENCE"]
