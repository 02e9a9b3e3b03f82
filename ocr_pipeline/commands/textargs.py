"""Command-line arguments that name text inputs, shared by the text commands: a UTF-8 file
or ``-`` (stdin), a user lexicon, an archive profile; each problem is one line."""

from __future__ import annotations

import logging
import os
import sys

from ocr_pipeline.errors import BadArgumentsError, InputFileError
from ocr_pipeline.fileio import binary_kind, decode_text, open_regular

log = logging.getLogger(__name__)


def read_text(name: str) -> str:
    """The text of file `name` (``-``: standard input): UTF-8, or UTF-16 with its byte-order
    mark (`fileio.decode_text`). A FIFO, device or socket is refused before any read
    (`fileio.open_regular`)."""
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open_regular(name) as fh:
                data = fh.read()
    except FileNotFoundError:
        raise InputFileError(f"{name}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputFileError(f"{name}: is a folder; give a text file") from None
    except OSError as err:
        raise InputFileError(f"{name}: cannot read ({err.strerror}); check permissions") from None
    what = binary_kind(data)
    if what is not None:  # a scan given to a text command
        raise InputFileError(
            f"{name} is {what}, not text; OCR it with ocr-pipeline run"
            " (which restores it too), then give its NAME.txt here"
        )
    return decode_text(data, name)


def output_file(name: str) -> str:
    """`name` of an -o FILE, refused with one line when it ends with a slash: it names a
    folder, and written as given it would become a file named like the folder."""
    if name != "-" and name.endswith(("/", os.sep)):
        raise BadArgumentsError(f"-o {name} names a folder; give an output file name")
    return name


def load_lexicon(name: str | None):
    """The `Lexicon` of --lexicon NAME (None without one)."""
    if name is None:
        return None
    from ocr_pipeline.restore.lexicon import Lexicon

    try:
        lexicon = Lexicon.load(name)
    except InputFileError as err:  # a FIFO, device or folder (open_regular)
        raise BadArgumentsError(f"--lexicon {err}") from None
    except FileNotFoundError:
        raise BadArgumentsError(f"--lexicon {name}: no such file; check the path") from None
    except UnicodeDecodeError:
        raise BadArgumentsError(f"--lexicon {name}: not UTF-8 text; convert it first") from None
    except OSError as err:
        raise BadArgumentsError(f"--lexicon {name}: cannot read ({err.strerror})") from None
    if not lexicon:
        log.warning("--lexicon %s has no entries (one name or term a line)", name)
    return lexicon


def load_profile(name: str | None):
    """The `Profile` of --profile / -i NAME (None without one)."""
    if name is None:
        return None
    from ocr_pipeline.restore.profile import Profile

    try:
        return Profile.load(name)
    except InputFileError as err:  # a FIFO, device or folder (open_regular)
        raise BadArgumentsError(f"profile {err}") from None
    except FileNotFoundError:
        raise BadArgumentsError(f"profile {name}: no such file; check the path") from None
    except (OSError, UnicodeDecodeError) as err:
        raise BadArgumentsError(f"profile {name}: cannot read ({err})") from None
    except (ValueError, TypeError, KeyError) as err:
        raise BadArgumentsError(
            f"profile {name}: {err}; write it with ocr-pipeline learn"
        ) from None
