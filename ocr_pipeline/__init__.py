"""ocr_pipeline: scanned Vietnamese administrative reports to correct, structured text.

Stages flow one way: raster -> preprocess -> ocr -> restore -> structure -> export.
Each stage is a module with a small public function; `pipeline` and `cli` sit on top.
"""

__version__ = "0.1.0"
