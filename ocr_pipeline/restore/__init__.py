"""Restore Vietnamese diacritics and OCR slips ..."""
