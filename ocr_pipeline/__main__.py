"""`python -m ocr_pipeline` is the same as the `ocr-pipeline` command."""

import sys

from ocr_pipeline.cli import main

sys.exit(main())
