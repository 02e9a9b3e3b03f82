"""The reviewer's low-confidence flag: a restored word whose confidence (the probability
that it is right: `restore.confidence` on text, `page_confidence` on scans) is under
LOW_CONFIDENCE is flagged, in the diff page, its JSON and the summary's ranking, and the
share of such words tells a weak scan (`document_restore.WEAK_SHARE`). One value for all
of them, here; the diff command's `--low-confidence` changes it for one report.

Chosen on the legacy dev set's curve (README, "The low-confidence flag"): no threshold
reaches the aim, and this one flags about as many words as before the model, at the same
recall and a little more precision. The confidences are calibrated (on the tuning
photocopies, each bin's accuracy is within a few points of its mean confidence), so a
higher threshold catches more wrong words at the price of more flags (0.9: 70-76% of
the photocopies' wrong words at 3-4.5% of words flagged, against 55-65% at 2-3%).
"""

from __future__ import annotations

LOW_CONFIDENCE = 0.8

__all__ = ["LOW_CONFIDENCE"]
